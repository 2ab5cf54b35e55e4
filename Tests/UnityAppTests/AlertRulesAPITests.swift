import Foundation
import Testing
import UnityAlerts
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Rules as an operator edits them: shipped defaults (editable, disable instead of delete, reset),
/// validation naming the field, dry runs against the latest values, and the live stream.
@Suite struct AlertRulesAPITests {
    @Test func defaultsAreEditableAndResetRestoresThem() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let list = try await client.send(.GET, "/api/v1/alert-rules?per_page=200", token: admin)
            let rules = try #require(list.json["items"] as? [[String: Any]])
            #expect(rules.count == AlertCatalogue.defaultRules.count && rules.allSatisfy { $0["builtin"] as? Bool == true })
            let almostFull = try #require(rules.first { $0["name"] as? String == "Filesystem almost full" })
            let id = try #require(almostFull["id"] as? String)

            try await app.unity.alerts.observe([AlertPipelineTests.filesystem(90)])
            let edited = try await client.send(.PATCH, "/api/v1/alert-rules/\(id)", token: admin, json: ["threshold": 92, "enabled": false])
            #expect(edited.json["threshold"] as? Double == 92 && edited.json["enabled"] as? Bool == false, "\(edited.body)")
            // Disabling resolves what the rule had open.
            let open = try await client.send(.GET, "/api/v1/alerts?status=active&rule_id=\(id)", token: admin)
            #expect(open.json["total"] as? Int == 0)
            #expect(try await client.send(.DELETE, "/api/v1/alert-rules/\(id)", token: admin).status == .conflict)

            let reset = try await client.send(.POST, "/api/v1/alert-rules/reset", token: admin)
            #expect(reset.status == .ok)
            let restored = try await client.send(.GET, "/api/v1/alert-rules/\(id)", token: admin)
            #expect(restored.json["threshold"] as? Double == 85 && restored.json["enabled"] as? Bool == true)
        }
    }

    @Test func rulesAreValidatedFieldByField() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let operatorToken = try await client.user(.operator, adminToken: admin).token
            let base: [String: Any] = ["name": "Hot", "metric": "disk.temperature_celsius", "operator": ">", "threshold": 60, "severity": "warning"]
            func with(_ changes: [String: Any]) -> [String: Any] { base.merging(changes) { $1 } }
            let cases: [([String: Any], String)] = [
                (with(["metric": "disk.temprature"]), "metric"),
                (with(["operator": "=>"]), "operator"),
                (with(["clear_threshold": 70]), "clear_threshold"),
                (with(["severity": "panic"]), "severity"),
                (with(["target": ["type": "tag"]]), "target.tag"),
                (with(["channel_ids": [UUID().uuidString]]), "channel_ids"),
                (with(["for_duration": -5]), "for_duration"),
                (with(["name": ""]), "name"),
            ]
            for (body, field) in cases {
                let response = try await client.send(.POST, "/api/v1/alert-rules", token: admin, json: body)
                #expect(response.status == .unprocessableEntity && response.errorField == field, "\(field): \(response.body)")
            }
            #expect(try await client.send(.POST, "/api/v1/alert-rules", token: operatorToken, json: base).status == .forbidden)
            let created = try await client.send(.POST, "/api/v1/alert-rules", token: admin, json: with(["clear_threshold": 55, "for_duration": 120]))
            #expect(created.status == .created && created.json["kind"] as? String == "metric" && created.json["source"] as? String == "infrastructure")
            #expect(try await client.send(.POST, "/api/v1/alert-rules", token: admin, json: base).status == .conflict)
            let id = try #require(created.json["id"] as? String)
            // JSON merge patch: a missing key keeps the clear threshold, `null` removes it.
            #expect(try await client.send(.PATCH, "/api/v1/alert-rules/\(id)", token: admin, json: ["threshold": 90]).json["clear_threshold"] as? Double == 55)
            // Lowering the threshold below the old clear threshold works when the clear threshold goes too.
            #expect(try await client.send(.PATCH, "/api/v1/alert-rules/\(id)", token: admin, json: ["threshold": 50]).errorField == "clear_threshold")
            let lowered = try await client.send(.PATCH, "/api/v1/alert-rules/\(id)", token: admin, json: ["threshold": 50, "clear_threshold": NSNull()])
            #expect(lowered.status == .ok && lowered.json["threshold"] as? Double == 50 && lowered.json["clear_threshold"] == nil, "\(lowered.body)")
            let cleared = try await client.send(.PATCH, "/api/v1/alert-rules/\(id)", token: admin, json: ["clear_threshold": NSNull(), "message_template": NSNull()])
            #expect(cleared.status == .ok && cleared.json["clear_threshold"] == nil && cleared.json["message_template"] == nil, "\(cleared.body)")
            #expect(try await client.send(.DELETE, "/api/v1/alert-rules/\(id)", token: admin).status == .noContent)
            let metrics = try await client.send(.GET, "/api/v1/alert-rules/metrics", token: operatorToken)
            #expect(metrics.body.contains("zpool.scrub_age_days"))
        }
    }

    @Test func dryRunEvaluatesTheLatestValuesWithoutStoringAnything() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            try await app.unity.alerts.observe([
                AlertPipelineTests.filesystem(40, server: "a"), AlertPipelineTests.filesystem(72, server: "b"),
                AlertPipelineTests.filesystem(75, server: "c"),
            ])
            let body: [String: Any] = ["name": "Seventy", "metric": "filesystem.used_percent", "operator": ">", "threshold": 70, "severity": "info", "for_duration": 3600]
            let report = try await client.send(.POST, "/api/v1/alert-rules/dry-run", token: admin, json: body)
            #expect(report.json["observations_evaluated"] as? Int == 3, "\(report.body)")
            let firing = (report.json["would_fire"] as? [[String: Any]])?.compactMap { $0["resource_id"] as? String }.sorted()
            #expect(firing == ["b:/", "c:/"])
            #expect(try await client.send(.GET, "/api/v1/alerts", token: admin).json["total"] as? Int == 0)
        }
    }

    /// A real HTTP client (curl) on the real listener: the stream delivers the change as an SSE event.
    @Test func theStreamPushesAlertChanges() async throws {
        try await withUnityApp { app in
            // Port 0: the kernel picks a free port, so parallel runs and leftovers never collide.
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let output = FileManager.default.temporaryDirectory.appending(path: "sse-\(UUID().uuidString)").path
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-sN", "-m", "4", "-H", "Authorization: Bearer \(admin)", "-o", output, "http://127.0.0.1:\(port)/api/v1/alerts/stream"]
            try curl.run()
            for _ in 0..<100 where await app.unity.alerts.events.subscriberCount == 0 { try await Task.sleep(for: .milliseconds(20)) }
            try await app.unity.alerts.observe([AlertPipelineTests.filesystem(99)])
            curl.waitUntilExit()
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            #expect(text.contains("event: alert"), "\(text)")
            #expect(text.components(separatedBy: "event: alert").count - 1 == 2, "two rules fire at 99 %: \(text)")
            #expect(text.contains("\"status\":\"firing\""))
            await app.server.shutdown()
        }
    }
}
