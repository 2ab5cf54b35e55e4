import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Alert rules (create, edit every field, delete, reset, dry run of a new rule), notification
/// channel editing and message templates through the real app.
@Suite struct WebAlertRulePagesTests {
    typealias Browser = WebPagesTests.Browser

    static func rules(_ client: TestClient, _ admin: String) async throws -> [[String: Any]] {
        try await client.send(.GET, "/api/v1/alert-rules?per_page=200", token: admin).json["items"] as? [[String: Any]] ?? []
    }

    static let newRule: [(String, String)] = [
        ("submitted", "1"), ("name", "Hot disks"), ("metric", "disk.temperature_celsius"), ("operator", ">"), ("threshold", "60"),
        ("clear_threshold", "55"), ("for_duration", "120"), ("severity", "critical"), ("target.type", "tag"), ("target.tag", "storage"),
        ("enabled", "on"), ("message_template", "{{resource}} runs at {{value}} C"),
    ]

    @Test func aNewRuleIsValidatedDryRunAndCreated() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            #expect(try await viewer.get("/alert-rules/new").status == .forbidden)
            #expect(!(try await viewer.get("/alert-rules")).body.contains("/alert-rules/new"))
            let forOperator = try await operatorBrowser.get("/alert-rules/new")
            #expect(forOperator.status == .ok && forOperator.body.contains("formaction=\"/alert-rules/dry-run\"") && !forOperator.body.contains("Create rule"))
            #expect(try await operatorBrowser.post("/alert-rules", Self.newRule).status == .forbidden)
            #expect(!(try await operatorBrowser.get("/alert-rules")).body.contains("/alert-rules/reset"))
            let form = try await adminBrowser.get("/alert-rules/new")
            #expect(form.body.contains("Create rule") && form.body.contains("<option value=\"disk.temperature_celsius\"") && form.body.contains("name=\"target.tag\""))

            let dry = try await operatorBrowser.post("/alert-rules/dry-run", Self.newRule)
            #expect(dry.status == .ok && dry.body.contains("id=\"dry-run\"") && dry.body.contains("Nothing was saved or sent") && dry.body.contains("value=\"Hot disks\""))
            #expect(try await Self.rules(client, admin).allSatisfy { $0["name"] as? String != "Hot disks" })

            let noTag = try await adminBrowser.post("/alert-rules", Self.newRule.filter { $0.0 != "target.tag" })
            #expect(noTag.status == .unprocessableEntity && noTag.body.contains("id=\"f-target-tag-error\">name the tag") && noTag.body.contains("value=\"Hot disks\""))
            let badMetric = try await adminBrowser.post("/alert-rules", Self.newRule.map { $0.0 == "metric" ? ("metric", "disk.temprature") : $0 })
            #expect(badMetric.status == .unprocessableEntity && badMetric.body.contains("id=\"f-metric-error\">unknown metric"))

            let created = try await adminBrowser.post("/alert-rules", Self.newRule)
            #expect(created.status == .seeOther && WebCredentialPagesTests.location(created).hasPrefix("/alert-rules/"))
            let rule = try #require(try await Self.rules(client, admin).first { $0["name"] as? String == "Hot disks" })
            #expect(rule["severity"] as? String == "critical" && rule["threshold"] as? Double == 60 && rule["clear_threshold"] as? Double == 55)
            #expect(rule["for_duration"] as? Double == 120 && rule["message_template"] as? String == "{{resource}} runs at {{value}} C")
            #expect((rule["target"] as? [String: Any])?["tag"] as? String == "storage")
        }
    }

    @Test func everyFieldIsEditableCustomRulesDeleteAndDefaultsReset() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            let created = try await adminBrowser.post("/alert-rules", Self.newRule)
            let path = WebCredentialPagesTests.location(created)
            let id = String(path.dropFirst("/alert-rules/".count))
            let edit = try await adminBrowser.get(path)
            #expect(edit.body.contains("value=\"Hot disks\"") && edit.body.contains("value=\"storage\"") && edit.body.contains("action=\"\(path)/delete\""))
            let changed = Self.newRule.map { pair -> (String, String) in
                switch pair.0 {
                case "name": return ("name", "Very hot disks")
                case "operator": return ("operator", ">=")
                case "threshold": return ("threshold", "65")
                case "severity": return ("severity", "warning")
                case "target.type": return ("target.type", "all")
                default: return pair
                }
            }.filter { $0.0 != "enabled" }
            let saved = try await adminBrowser.post(path, changed)
            #expect(saved.status == .seeOther)
            let rule = try await client.send(.GET, "/api/v1/alert-rules/\(id)", token: admin).json
            #expect(rule["name"] as? String == "Very hot disks" && rule["operator"] as? String == ">=" && rule["threshold"] as? Double == 65)
            #expect(rule["enabled"] as? Bool == false && (rule["target"] as? [String: Any])?["type"] as? String == "all")
            // Emptying the prefilled clear threshold and message removes them.
            let emptied = changed.map { ["clear_threshold", "message_template"].contains($0.0) ? ($0.0, "") : $0 }
            #expect(try await adminBrowser.post(path, emptied).status == .seeOther)
            let bare = try await client.send(.GET, "/api/v1/alert-rules/\(id)", token: admin).json
            #expect(bare["clear_threshold"] == nil && bare["message_template"] == nil, "\(bare)")

            let deleted = try await adminBrowser.post("\(path)/delete", [])
            #expect(WebCredentialPagesTests.location(deleted) == "/alert-rules")
            #expect(try await client.send(.GET, "/api/v1/alert-rules/\(id)", token: admin).status == .notFound)

            // A default rule: no delete button; a forged delete is refused with the API's reason.
            let builtin = try #require(try await Self.rules(client, admin).first { $0["builtin"] as? Bool == true })
            let builtinID = try #require(builtin["id"] as? String).lowercased()
            #expect(!(try await adminBrowser.get("/alert-rules/\(builtinID)")).body.contains("/delete\""))
            let refused = try await adminBrowser.post("/alert-rules/\(builtinID)/delete", [])
            #expect(WebCredentialPagesTests.location(refused) == "/alert-rules/\(builtinID)")
            #expect(try await adminBrowser.get("/alert-rules/\(builtinID)", extraCookie: WebPagesTests.flash(refused)).body.contains("ships with Unity: disable it instead"))

            let original = try #require(builtin["threshold"] as? Double)
            _ = try await client.send(.PATCH, "/api/v1/alert-rules/\(builtinID)", token: admin, json: ["threshold": original + 1, "enabled": false])
            #expect(try await adminBrowser.get("/alert-rules").body.contains("action=\"/alert-rules/reset\""))
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            #expect(try await operatorBrowser.post("/alert-rules/reset", []).status == .forbidden)
            let reset = try await adminBrowser.post("/alert-rules/reset", [])
            #expect(try await adminBrowser.get("/alert-rules", extraCookie: WebPagesTests.flash(reset)).body.contains("Restored the default rules"))
            let restored = try await client.send(.GET, "/api/v1/alert-rules/\(builtinID)", token: admin).json
            #expect(restored["threshold"] as? Double == original && restored["enabled"] as? Bool == true)
        }
    }

    @Test func aChannelIsEditedWithoutShowingOrLosingItsURL() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/notification-channels", token: admin, json: ["name": "phone", "url": "ntfy://alice:UNITYCANARY@ntfy.home.arpa/unity"])
            let id = try #require(created.json["id"] as? String).lowercased()
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            #expect(try await operatorBrowser.get("/channels/\(id)").status == .forbidden)
            #expect(try await operatorBrowser.post("/channels/\(id)", [("name", "x")]).status == .forbidden)
            #expect(!(try await operatorBrowser.get("/channels")).body.contains("href=\"/channels/\(id)\""))
            #expect(try await adminBrowser.get("/channels").body.contains("href=\"/channels/\(id)\""))
            let page = try await adminBrowser.get("/channels/\(id)")
            #expect(page.status == .ok && page.body.contains("value=\"phone\"") && page.body.contains("name=\"events\"") && !page.body.contains("UNITYCANARY"))

            let bad = try await adminBrowser.post("/channels/\(id)", [("submitted", "1"), ("name", "pager"), ("url", "nope://alice:UNITYCANARY@example"), ("enabled", "on"), ("events", "fired")])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("id=\"f-url-error\"") && bad.body.contains("value=\"pager\"") && !bad.body.contains("value=\"nope://"))
            let good = try await adminBrowser.post("/channels/\(id)", [("submitted", "1"), ("name", "pager"), ("url", ""), ("events", "fired"), ("events", "resolved"),
                                                                       ("all_rules", "on"), ("tls_verify", "on")])
            #expect(good.status == .seeOther)
            let stored = try await client.send(.GET, "/api/v1/notification-channels/\(id)", token: admin).json
            #expect(stored["name"] as? String == "pager" && stored["enabled"] as? Bool == false && (stored["events"] as? [String]) == ["fired", "resolved"])
            #expect((stored["url"] as? String)?.hasPrefix("ntfy://alice:") == true)
        }
    }

    @Test func messageTemplatesAreChangedAndRestored() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            let readOnly = try await viewer.get("/channels/templates")
            #expect(readOnly.status == .ok && readOnly.body.contains("<fieldset disabled>") && !readOnly.body.contains("Save templates"))
            #expect(try await viewer.post("/channels/templates", [("title.fired", "x"), ("body.fired", "y")]).status == .forbidden)
            let page = try await adminBrowser.get("/channels/templates")
            #expect(page.body.contains("name=\"title.fired\"") && page.body.contains("name=\"body.resolved\"") && page.body.contains("{{resource}}"))

            let empty = try await adminBrowser.post("/channels/templates", [("title.fired", ""), ("body.fired", "kept body")])
            #expect(empty.status == .unprocessableEntity && empty.body.contains("id=\"f-templates-fired-error\"") && empty.body.contains(">kept body</textarea>"))
            let saved = try await adminBrowser.post("/channels/templates", [("title.fired", "FIRE {{rule}}"), ("body.fired", "{{message}}")])
            #expect(saved.status == .seeOther)
            var templates = try await client.send(.GET, "/api/v1/notification-templates", token: admin).json
            #expect((templates["customized"] as? [String]) == ["fired"])
            #expect(((templates["templates"] as? [String: Any])?["fired"] as? [String: Any])?["title"] as? String == "FIRE {{rule}}")
            #expect(try await adminBrowser.get("/channels/templates").body.contains("name=\"reset.fired\""))
            _ = try await adminBrowser.post("/channels/templates", [("reset.fired", "on"), ("title.fired", "FIRE {{rule}}"), ("body.fired", "{{message}}")])
            templates = try await client.send(.GET, "/api/v1/notification-templates", token: admin).json
            #expect((templates["customized"] as? [String]) == [])
        }
    }
}
