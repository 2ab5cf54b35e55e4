import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The default container rules against the real shared dockerd (UnityContainersTestSupport): a
/// busybox that keeps exiting 3 under `--restart on-failure:3` and one whose health check fails.
/// Discovery through the API raises the alerts (seen through the alerts API), a second discovery
/// does not duplicate them, removing the containers resolves them, and a socket that is not there
/// raises "engine unreachable".
@Suite struct ContainerAlertsRealEngineTests {
    static func activeAlerts(_ client: TestClient, _ token: String) async throws -> [[String: Any]] {
        let response = try await client.send(.GET, "/api/v1/alerts?status=active&source=containers&per_page=100", token: token)
        return response.json["items"] as? [[String: Any]] ?? []
    }

    static func rules(_ alerts: [[String: Any]], on resourceName: String) -> [String] {
        alerts.filter { ($0["resource_name"] as? String) == resourceName }.compactMap { $0["rule"] as? String }.sorted()
    }

    @Test func discoveryRaisesAndResolvesTheDefaultContainerAlerts() async throws {
        let engine = try TestEngine.docker()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let crashing = "alert-crash-\(tag)", sick = "alert-sick-\(tag)"
        try engine.cli(["run", "-d", "--name", crashing, "--network", "none", "--restart", "on-failure:3",
                        TestEngine.image, "sh", "-c", "exit 3"])
        try engine.cli(["run", "-d", "--name", sick, "--network", "none", "--health-cmd", "false", "--health-interval", "1s",
                        "--health-retries", "1", TestEngine.image, "sleep", "300"])
        defer { for name in [crashing, sick] { _ = try? engine.cli(["rm", "-f", name]) } }
        // Docker gives up after three restarts (100, 200, 400 ms back-off) and the health check fails after one try.
        for _ in 0..<100 {
            let crash = try engine.cli(["inspect", "-f", "{{.State.Status}} {{.RestartCount}}", crashing])
            let health = try engine.cli(["inspect", "-f", "{{.State.Health.Status}}", sick])
            if crash.hasPrefix("exited 3"), health.contains("unhealthy") { break }
            usleep(200_000)
        }
        #expect(try engine.cli(["inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", crashing]).hasPrefix("exited 3 3"))

        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let hostName = "alerts-\(tag)"
            let created = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                json: ["socket_path": engine.socketPath, "name": hostName])
            #expect(created.status == .created, "\(created.body)")
            let hostID = try #require(created.json["id"] as? String)
            try await app.unity.alerts.waitUntilIdle()

            var alerts = try await Self.activeAlerts(client, admin)
            #expect(Self.rules(alerts, on: "\(hostName)/\(crashing)") == ["Container exited unexpectedly", "Container restart loop"], "\(alerts)")
            #expect(Self.rules(alerts, on: "\(hostName)/\(sick)") == ["Container unhealthy"], "\(alerts)")
            let exitedAlert = try #require(alerts.first { $0["rule"] as? String == "Container exited unexpectedly" })
            #expect((exitedAlert["message"] as? String)?.contains("exit code 3") == true, "\(exitedAlert)")
            #expect(exitedAlert["resource_type"] as? String == "container")

            // Discovered again: the same alerts, not new ones.
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
            try await app.unity.alerts.waitUntilIdle()
            // Other suites share the daemon and change their containers meanwhile: compare ours only.
            let ours: ([[String: Any]]) -> Set<String> = { list in
                Set(list.filter { [crashing, sick].map { "\(hostName)/\($0)" }.contains($0["resource_name"] as? String ?? "") }.compactMap { $0["id"] as? String })
            }
            let again = try await Self.activeAlerts(client, admin)
            #expect(ours(again) == ours(alerts) && ours(alerts).count == 3)

            // Gone from the engine: every one of them resolves.
            for name in [crashing, sick] { try engine.cli(["rm", "-f", name]) }
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
            try await app.unity.alerts.waitUntilIdle()
            alerts = try await Self.activeAlerts(client, admin)
            #expect(ours(alerts).isEmpty, "\(alerts)")

            // An engine that cannot be reached.
            let gone = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                             json: ["socket_path": "/nonexistent/unity-\(tag).sock", "name": "gone-\(tag)"])
            #expect(gone.json["status"] as? String == "unreachable")
            try await app.unity.alerts.waitUntilIdle()
            alerts = try await Self.activeAlerts(client, admin)
            #expect(Self.rules(alerts, on: "gone-\(tag)") == ["Container engine unreachable"], "\(alerts)")
        }
    }
}
