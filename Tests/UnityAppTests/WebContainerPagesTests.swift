import Fluent
import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The containers pages on the real test dockerd (UnityContainersTestSupport), reached over its unix
/// socket, with browser sessions of each role: the empty state, the list and its filters, the detail
/// page, the logs and stats fragments read from the engine, the sensitive label, and the buttons.
@Suite struct WebContainerPagesTests {
    typealias Browser = WebPagesTests.Browser
    static let canary = "unity-canary-web-env-91ad"

    static func notice(_ response: TestResponse) -> String {
        guard let cookie = WebPagesTests.flash(response), let raw = cookie.split(separator: "=", maxSplits: 1).last,
              let data = Data(base64Encoded: String(raw)) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theEmptyStateTellsWhatToDoAndTheServerPageOffersToEnableContainers() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let server = try await WebServerPagesTests.server(client, admin, "nas")
            let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let empty = try await adminBrowser.get("/containers")
            #expect(empty.status == .ok && empty.body.contains("No container hosts yet") && empty.body.contains("Enable containers"))
            #expect(empty.body.contains("href=\"/containers\" aria-current=\"page\""))
            let serverPage = try await adminBrowser.get("/servers/\(server)")
            #expect(serverPage.body.contains("action=\"/servers/\(server)/containers\""))
            let viewerPage = try await viewer.get("/servers/\(server)")
            #expect(!viewerPage.body.contains("action=\"/servers/\(server)/containers\"") && viewerPage.body.contains("An admin can enable containers"))
            #expect(try await viewer.post("/servers/\(server)/containers", []).status == .forbidden)
            // The server is not reachable (10.0.0.5): the host is kept, and the notice says why.
            let enabled = try await adminBrowser.post("/servers/\(server)/containers", [("socket_path", "relative/path")])
            #expect(Self.notice(enabled).contains("socket_path"), "\(Self.notice(enabled))")
            #expect(try await ContainerHostRecord.query(on: app.db).count() == 0)
        }
    }

    @Test func listDetailLiveStateAndButtonsOnARealEngine() async throws {
        let engine = try TestEngine.docker()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let web = "web-\(tag)", secret = "secret-\(tag)", done = "done-\(tag)"
        try engine.cli(["run", "-d", "--name", web, "--network", "host", "-e", "API_TOKEN=\(Self.canary)", "-v", "data-\(tag):/data",
                        "--label", "com.docker.compose.project=shop-\(tag)", "--label", "com.docker.compose.service=front",
                        TestEngine.image, "sh", "-c", "echo hello-out-\(tag); echo hello-err-\(tag) >&2; printf '\\033[31mred-\(tag)\\033[0m\\n'; sleep 300"])
        try engine.cli(["run", "-d", "--name", secret, "--network", "host", "--label", "unity.sensitive=true",
                        TestEngine.image, "sh", "-c", "echo private-\(tag); sleep 300"])
        _ = try? engine.cli(["run", "--name", done, "--network", "host", TestEngine.image, "sh", "-c", "exit 4"])
        defer { for name in [web, secret, done] { _ = try? engine.cli(["rm", "-f", "-v", name]) } }

        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["socket_path": engine.socketPath, "name": "local-\(tag)"])
            let hostID = try #require(created.json["id"] as? String).lowercased()
            let rows = try await client.send(.GET, "/api/v1/containers?host_id=\(hostID)", token: admin).jsonArray
            func id(_ name: String) throws -> String { try #require(rows.first { $0["name"] as? String == name }?["id"] as? String).lowercased() }
            let webID = try id(web), secretID = try id(secret), doneID = try id(done)
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)

            // The list, each filter, and the host section.
            let list = try await viewer.get("/containers")
            #expect(list.status == .ok && [web, secret, done].allSatisfy(list.body.contains), "\(list.body.prefix(400))")
            #expect(list.body.contains("shop-\(tag)/front") && list.body.contains("local-\(tag)") && !list.body.contains("containers-bulk"))
            let exited = try await viewer.get("/containers?state=exited&host_id=\(hostID)")
            #expect(exited.body.contains(done) && !exited.body.contains(">\(web)<"))
            let project = try await viewer.get("/containers?compose_project=shop-\(tag)")
            #expect(project.body.contains(">\(web)<") && !project.body.contains(">\(secret)<"))
            let labelled = try await viewer.get("/containers?label=unity.sensitive%3Dtrue")
            #expect(labelled.body.contains(">\(secret)<") && !labelled.body.contains(">\(web)<"))
            #expect(try await viewer.get("/containers?label=no-such-label").body.contains("No container matches these filters."))
            #expect(try await operatorBrowser.get("/containers").body.contains("id=\"containers-bulk\""))

            // Detail: configuration from the inventory, env names without values, no buttons for viewers.
            let detail = try await viewer.get("/containers/\(webID)")
            #expect(detail.status == .ok && detail.body.contains("API_TOKEN") && !detail.body.contains(Self.canary))
            #expect(detail.body.contains("data-\(tag)") && detail.body.contains("named volume") && detail.body.contains("shop-\(tag)"))
            #expect(!detail.body.contains("action=\"/containers/\(webID)/stop\"") && detail.body.contains("data-container-logs=\"/containers/\(webID)/logs\""))
            #expect(try await operatorBrowser.get("/containers/\(webID)").body.contains("action=\"/containers/\(webID)/stop\""))
            #expect(try await viewer.get("/containers/\(UUID().uuidString.lowercased())").status == .notFound)

            // Logs and stats come from the engine: both streams, ANSI colours stripped, HTML escaped.
            var logs = try await viewer.get("/containers/\(webID)/logs?fragment=1")
            for _ in 0..<20 where !logs.body.contains("red-\(tag)") {
                try await Task.sleep(for: .milliseconds(250))
                logs = try await viewer.get("/containers/\(webID)/logs?fragment=1")
            }
            #expect(logs.status == .ok && logs.body.hasPrefix("<pre class=\"logs\""), "\(logs.body.prefix(300))")
            #expect(logs.body.contains("<span class=\"log-stdout\">") && logs.body.contains("hello-out-\(tag)"))
            #expect(logs.body.contains("<span class=\"log-stderr\">") && logs.body.contains("hello-err-\(tag)"))
            #expect(logs.body.contains("red-\(tag)") && !logs.body.contains("\u{1B}["), "colour codes are stripped")
            #expect(try await viewer.get("/containers/\(webID)/logs").body.contains("<h1>Logs of \(web)</h1>"))
            let stats = try await viewer.get("/containers/\(webID)/stats?fragment=1")
            #expect(stats.body.contains("data-cpu-percent=") && stats.body.contains("<dt>Memory</dt>"), "\(stats.body)")

            // A container labelled sensitive: viewers see the row, not its output; operators do.
            #expect(try await viewer.get("/containers/\(secretID)").body.contains("unity.sensitive=true</code>: its logs"))
            #expect(try await viewer.get("/containers/\(secretID)/logs?fragment=1").status == .forbidden)
            #expect(try await viewer.get("/containers/\(secretID)/stats?fragment=1").status == .forbidden)
            var privateLogs = try await operatorBrowser.get("/containers/\(secretID)/logs?fragment=1")
            for _ in 0..<20 where !privateLogs.body.contains("private-\(tag)") {
                try await Task.sleep(for: .milliseconds(250))
                privateLogs = try await operatorBrowser.get("/containers/\(secretID)/logs?fragment=1")
            }
            #expect(privateLogs.body.contains("private-\(tag)"))

            // Buttons: roles hold, the engine's state changes, the notice says what happened.
            #expect(try await viewer.post("/containers/\(webID)/stop", []).status == .forbidden)
            let stopped = try await operatorBrowser.post("/containers/\(webID)/stop", [])
            #expect(stopped.status == .seeOther && WebCredentialPagesTests.location(stopped) == "/containers/\(webID)")
            #expect(Self.notice(stopped) == "Stop: \(web) is exited now.", "\(Self.notice(stopped))")
            #expect(try engine.cli(["inspect", "-f", "{{.State.Status}}", web]).contains("exited"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "web.container_stop").first()?.targetID?.lowercased() == webID)
            #expect(try await operatorBrowser.get("/containers/\(webID)").body.contains("action=\"/containers/\(webID)/start\""))

            let bulk = try await operatorBrowser.post("/containers/bulk", [("action", "start"), ("ids", webID), ("ids", doneID)])
            #expect(Self.notice(bulk).hasPrefix("Start: "), "\(Self.notice(bulk))")
            #expect(try engine.cli(["inspect", "-f", "{{.State.Status}}", web]).contains("running"))
            #expect(Self.notice(try await operatorBrowser.post("/containers/bulk", [("action", "remove"), ("ids", webID)])).contains("action"))
            #expect(Self.notice(try await operatorBrowser.post("/containers/bulk", [("action", "stop")])).contains("ids"))

            let removed = try await operatorBrowser.post("/containers/\(secretID)/remove", [("force", "true")])
            #expect(Self.notice(removed) == "Removed \(secret).", "\(Self.notice(removed))")
            #expect((try? engine.cli(["inspect", secret])) == nil, "the container is gone from the engine")
            #expect(try await viewer.get("/containers/\(secretID)/logs?fragment=1").status == .notFound)

            let discovered = try await operatorBrowser.post("/containers/hosts/\(hostID)/discover", [])
            #expect(Self.notice(discovered).hasPrefix("Discovered local-\(tag)"), "\(Self.notice(discovered))")
            #expect(try await viewer.post("/containers/hosts/\(hostID)/discover", []).status == .forbidden)
        }
    }
}
