import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Server edit, delete, fleet actions (collect all, bulk enable), import, host key and
/// certificate discovery options through the real app with browser sessions of each role.
@Suite struct WebServerPagesTests {
    typealias Browser = WebPagesTests.Browser

    static func server(_ client: TestClient, _ admin: String, _ name: String, enabled: Bool = true) async throws -> String {
        try #require(try await client.send(.POST, "/api/v1/servers", token: admin,
                                           json: ["name": name, "address": "10.0.0.5", "username": "unity", "enabled": enabled]).json["id"] as? String).lowercased()
    }

    @Test func editingAServerValidatesKeepsTheInputAndChangesEveryField() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let id = try await Self.server(client, admin, "nas")
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            #expect(try await viewer.get("/servers/\(id)/edit").status == .forbidden)
            #expect(try await viewer.post("/servers/\(id)/edit", [("name", "x")]).status == .forbidden)
            #expect(!(try await viewer.get("/servers/\(id)")).body.contains("/edit\""))
            let page = try await operatorBrowser.get("/servers/\(id)/edit")
            #expect(page.status == .ok && page.body.contains("action=\"/servers/\(id)/edit\"") && page.body.contains("value=\"nas\""))
            #expect(page.body.contains("name=\"use_sudo\"") && page.body.contains("name=\"enabled\"") && page.body.contains("name=\"jump_server_id\""))
            #expect(try await operatorBrowser.get("/servers/\(id)").body.contains("href=\"/servers/\(id)/edit\""))

            let bad = try await operatorBrowser.post("/servers/\(id)/edit", [("submitted", "1"), ("name", "nas-2"), ("address", "10.0.0.6"), ("port", "70000"), ("username", "unity"), ("tags", "lab")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("id=\"f-port-error\">expected 1 to 65535") && bad.body.contains("value=\"nas-2\"") && bad.body.contains("value=\"70000\""))
            // The enabled box was not ticked in the failed submit: it stays unticked.
            #expect(!bad.body.contains("name=\"enabled\" value=\"on\" checked"))

            let good = try await operatorBrowser.post("/servers/\(id)/edit", [("submitted", "1"), ("name", "nas-2"), ("address", "10.0.0.6"), ("port", "2222"),
                                                                               ("username", "root"), ("tags", "lab, storage"), ("interval_seconds", "600"), ("use_sudo", "on")])
            #expect(good.status == .seeOther && WebCredentialPagesTests.location(good) == "/servers/\(id)")
            let stored = try await client.send(.GET, "/api/v1/servers/\(id)", token: admin).json
            #expect(stored["name"] as? String == "nas-2" && stored["address"] as? String == "10.0.0.6" && stored["port"] as? Int == 2222)
            #expect(stored["username"] as? String == "root" && stored["interval_seconds"] as? Int == 600)
            #expect(stored["enabled"] as? Bool == false && stored["use_sudo"] as? Bool == true && (stored["tags"] as? [String])?.sorted() == ["lab", "storage"])

            // A set jump server is kept when the field is left alone and removed with "Remove".
            let jump = try await Self.server(client, admin, "bastion")
            _ = try await client.send(.PATCH, "/api/v1/servers/\(id)", token: admin, json: ["jump_server_id": jump])
            let fields: [(String, String)] = [("submitted", "1"), ("name", "nas-2"), ("address", "10.0.0.6"), ("username", "root"), ("enabled", "on")]
            #expect(try await operatorBrowser.get("/servers/\(id)/edit").body.contains("<option value=\"none\">Remove: direct connection</option>"))
            _ = try await operatorBrowser.post("/servers/\(id)/edit", fields)
            #expect((try await client.send(.GET, "/api/v1/servers/\(id)", token: admin).json["jump_server_id"] as? String)?.lowercased() == jump)
            _ = try await operatorBrowser.post("/servers/\(id)/edit", fields + [("jump_server_id", "none")])
            #expect(try await client.send(.GET, "/api/v1/servers/\(id)", token: admin).json["jump_server_id"] == nil)
        }
    }

    @Test func deletingAServerAsksFirstThenRemovesIt() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let id = try await Self.server(client, admin, "old-nas")
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            #expect(try await viewer.get("/servers/\(id)/delete").status == .forbidden)
            #expect(try await viewer.post("/servers/\(id)/delete", []).status == .forbidden)
            let confirm = try await operatorBrowser.get("/servers/\(id)/delete")
            #expect(confirm.status == .ok && confirm.body.contains("Delete old-nas?") && confirm.body.contains("action=\"/servers/\(id)/delete\""))
            let done = try await operatorBrowser.post("/servers/\(id)/delete", [])
            #expect(done.status == .seeOther && WebCredentialPagesTests.location(done) == "/servers")
            #expect(try await operatorBrowser.get("/servers", extraCookie: WebPagesTests.flash(done)).body.contains("Deleted old-nas"))
            #expect(try await client.send(.GET, "/api/v1/servers/\(id)", token: admin).status == .notFound)
        }
    }

    @Test func fleetActionsCollectAllAndBulkEnable() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let first = try await Self.server(client, admin, "a", enabled: false)
            let second = try await Self.server(client, admin, "b", enabled: false)
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            let forViewer = try await viewer.get("/servers")
            #expect(!forViewer.body.contains("/servers/collect") && !forViewer.body.contains("servers-bulk") && !forViewer.body.contains("/servers/import"))
            #expect(try await viewer.post("/servers/collect", []).status == .forbidden)
            #expect(try await viewer.post("/servers/bulk-enabled", [("ids", first), ("enabled", "true")]).status == .forbidden)
            let list = try await operatorBrowser.get("/servers")
            #expect(list.body.contains("action=\"/servers/collect\"") && list.body.contains("id=\"servers-bulk\"") && list.body.contains("value=\"\(first)\" form=\"servers-bulk\""))

            // Nothing enabled: the result says so instead of collecting.
            let collected = try await operatorBrowser.post("/servers/collect", [])
            #expect(collected.status == .seeOther)
            #expect(try await operatorBrowser.get("/servers", extraCookie: WebPagesTests.flash(collected)).body.contains("No enabled servers to collect."))

            let none = try await operatorBrowser.post("/servers/bulk-enabled", [("enabled", "true")])
            #expect(try await operatorBrowser.get("/servers", extraCookie: WebPagesTests.flash(none)).body.contains("notice-error"))
            let enabled = try await operatorBrowser.post("/servers/bulk-enabled", [("ids", first), ("ids", second), ("enabled", "true")])
            #expect(try await operatorBrowser.get("/servers", extraCookie: WebPagesTests.flash(enabled)).body.contains("Enabled 2 servers."))
            #expect(try await client.send(.GET, "/api/v1/servers/\(first)", token: admin).json["enabled"] as? Bool == true)
            _ = try await operatorBrowser.post("/servers/bulk-enabled", [("ids", second), ("enabled", "false")])
            // The list filters like the API: enabled or not, and status.
            let disabledOnly = try await operatorBrowser.get("/servers?enabled=false")
            #expect(disabledOnly.body.contains(">b</a>") && !disabledOnly.body.contains(">a</a>") && disabledOnly.body.contains("<option value=\"false\" selected>"))
            #expect(try await operatorBrowser.get("/servers?status=online").body.contains("No server matches these filters."))
            #expect(try await operatorBrowser.get("/servers?status=bogus&enabled=maybe").body.contains(">a</a>"))
            #expect(try await client.send(.GET, "/api/v1/servers/\(second)", token: admin).json["enabled"] as? Bool == false)
            #expect(try await client.send(.GET, "/api/v1/servers/\(first)", token: admin).json["enabled"] as? Bool == true)
        }
    }

    @Test func importPreviewsThenCreatesTheTickedServers() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            _ = try await Self.server(client, admin, "existing")
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            #expect(try await viewer.get("/servers/import").status == .forbidden)
            let form = try await operatorBrowser.get("/servers/import")
            #expect(form.status == .ok && form.body.contains("action=\"/servers/import/preview\"") && form.body.contains("<textarea id=\"f-text\""))

            let badFormat = try await operatorBrowser.post("/servers/import/preview", [("format", "csv"), ("text", "Host x")])
            #expect(badFormat.status == .unprocessableEntity && badFormat.body.contains("id=\"f-format-error\"") && badFormat.body.contains(">Host x</textarea>"))

            let config = "Host nas\n  HostName 10.0.0.10\n  User admin\nHost pve\n  HostName 10.0.0.11\n  Port 2222\nHost existing\n  HostName 10.0.0.12\n"
            let preview = try await operatorBrowser.post("/servers/import/preview", [("format", "ssh_config"), ("text", config)])
            #expect(preview.status == .ok && preview.body.contains("id=\"import-preview\""))
            #expect(preview.body.contains("name=\"pick\" value=\"nas\"") && preview.body.contains("name=\"pick\" value=\"pve\"") && !preview.body.contains("value=\"existing\" checked"))
            #expect(preview.body.contains("<code>10.0.0.11</code>") && preview.body.contains("badge-muted\">exists"))

            let imported = try await operatorBrowser.post("/servers/import", [("format", "ssh_config"), ("text", config), ("pick", "nas"), ("pick", "pve"),
                                                                             ("username", "unity"), ("tags", "imported")])
            #expect(imported.status == .seeOther)
            #expect(try await operatorBrowser.get("/servers", extraCookie: WebPagesTests.flash(imported)).body.contains("Imported 2 servers: nas, pve."))
            let servers = try await client.send(.GET, "/api/v1/servers?per_page=200", token: admin).json["items"] as? [[String: Any]] ?? []
            let pve = try #require(servers.first { $0["name"] as? String == "pve" })
            #expect(pve["port"] as? Int == 2222 && pve["username"] as? String == "unity" && (pve["tags"] as? [String]) == ["imported"])
            #expect(servers.first { $0["name"] as? String == "nas" }?["username"] as? String == "admin")
        }
    }

    @Test func everyRecordedMetricCanBeCharted() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let id = try await Self.server(client, admin, "nas")
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            #expect(try await viewer.get("/servers/\(id)/history").body.contains("Nothing recorded yet"))
            try await MetricStore.record([.init(series: "disk:SN123", metric: "disk.temperature_celsius", value: 41),
                                          .init(series: "host", metric: "cpu.percent", value: 12)],
                                         server: try #require(UUID(uuidString: id)), at: Date().addingTimeInterval(-120), on: app.db)
            #expect(try await viewer.get("/servers/\(id)").body.contains("href=\"/servers/\(id)/history\""))
            let list = try await viewer.get("/servers/\(id)/history")
            #expect(list.status == .ok && list.body.contains("<code>disk:SN123</code>") && list.body.contains("metric=disk.temperature_celsius"))
            let chart = try await viewer.get("/servers/\(id)/history?series=disk:SN123&metric=disk.temperature_celsius&range=1h")
            #expect(chart.body.contains("id=\"metric-chart\"") && chart.body.contains("chart-line") && !chart.body.contains("No data for this range"))
            let bad = try await viewer.get("/servers/\(id)/history?metric=cpu.percent&range=1y")
            #expect(bad.status == .ok && bad.body.contains("expected 1h, 24h, 7d or 30d"))
        }
    }

    @Test func theDetailPageShowsThePinnedKeyAndDiscoveryOptions() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let id = try await Self.server(client, admin, "nas")
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            let page = try await operatorBrowser.get("/servers/\(id)")
            #expect(page.body.contains("id=\"hostkey-h\">Host key") && page.body.contains("No host key pinned yet"))
            #expect(page.body.contains("name=\"ports\"") && page.body.contains("name=\"paths\""))
            let bad = try await operatorBrowser.post("/servers/\(id)/certificates/discover", [("ports", "443, https"), ("paths", "")])
            #expect(bad.status == .seeOther)
            let shown = try await operatorBrowser.get("/servers/\(id)", extraCookie: WebPagesTests.flash(bad))
            #expect(shown.body.contains("notice-error") && shown.body.contains("https is not a port number"))
        }
    }
}
