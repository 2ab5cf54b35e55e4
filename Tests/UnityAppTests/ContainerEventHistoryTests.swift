import Fluent
import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// `GET /events` as history, against the real shared dockerd (UnityContainersTestSupport): once a
/// host is discovered Unity follows its event stream, so a stopped container's `die` (with its exit
/// code) and an OOM kill are in the container's history, and the OOM-killed alert fires, without a
/// discovery in between. A later discovery does not write the same change a second time.
@Suite struct ContainerEventHistoryTests {
    static func rows(_ app: Application, container: String, hostID: UUID) async throws -> [ContainerEventRecord] {
        guard let row = try await ContainerRecord.query(on: app.db).filter(\.$hostID == hostID).filter(\.$name == container).first() else { return [] }
        return try await ContainerEventRecord.query(on: app.db).filter(\.$containerID == row.requireID()).sort(\.$at).all()
    }

    /// Polls until `done` holds for the container's history (the stream is asynchronous), at most ~20 s.
    static func waitForHistory(_ app: Application, container: String, hostID: UUID,
                               _ done: ([ContainerEventRecord]) -> Bool) async throws -> [ContainerEventRecord] {
        var rows: [ContainerEventRecord] = []
        for _ in 0..<100 {
            rows = try await Self.rows(app, container: container, hostID: hostID)
            if done(rows) { return rows }
            try await Task.sleep(for: .milliseconds(200))
        }
        return rows
    }

    static func describe(_ rows: [ContainerEventRecord]) -> String {
        rows.map { "\($0.kind)(\($0.detail ?? ""))" }.joined(separator: ", ")
    }

    @Test func stoppedAndOOMKilledContainersAreRecordedFromTheEventStream() async throws {
        let engine = try TestEngine.docker()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let sleeper = "ev-stop-\(tag)", hungry = "ev-oom-\(tag)"
        try engine.cli(["run", "-d", "--name", sleeper, "--network", "none", TestEngine.image, "sleep", "300"])
        // Waits for a file, then allocates without bound (`tail` buffers a line that never ends)
        // under a 16 MiB limit without swap: the kernel's OOM killer ends it. The test image links
        // only a few applets, so busybox is named.
        try engine.cli(["run", "-d", "--name", hungry, "--network", "none", "--memory", "16m", "--memory-swap", "16m",
                        TestEngine.image, "sh", "-c", "while [ ! -f /tmp/go ]; do sleep 0.1; done; exec busybox tail /dev/zero"])
        defer { for name in [sleeper, hungry] { _ = try? engine.cli(["rm", "-f", name]) } }

        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let hostName = "events-\(tag)"
            let created = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                json: ["socket_path": engine.socketPath, "name": hostName])
            #expect(created.status == .created, "\(created.body)")
            let hostID = try #require(UUID(uuidString: created.json["id"] as? String ?? ""))
            let discoveredAt = try #require(try await ContainerHostRecord.find(hostID, on: app.db)?.lastDiscoveredAt)

            // Stopped: `docker stop -t 1` sends TERM, which busybox `sleep` as pid 1 ignores, then KILL (137).
            try engine.cli(["stop", "-t", "1", sleeper])
            var history = try await Self.waitForHistory(app, container: sleeper, hostID: hostID) { rows in
                rows.contains { $0.kind == "died" && $0.detail == "exit_code=137" }
            }
            #expect(history.contains { $0.kind == "died" && $0.detail == "exit_code=137" }, "\(Self.describe(history))")
            #expect(history.contains { $0.kind == "killed" }, "the kill signals are history too: \(Self.describe(history))")

            // OOM-killed.
            try engine.cli(["exec", hungry, "sh", "-c", ": > /tmp/go"])
            history = try await Self.waitForHistory(app, container: hungry, hostID: hostID) { rows in
                rows.contains { $0.kind == "oom" } && rows.contains { $0.kind == "died" }
            }
            let oomKilled = try engine.cli(["inspect", "-f", "{{.State.OOMKilled}}", hungry]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(oomKilled == "true", "this kernel's cgroups did not OOM-kill a container over its --memory limit")
            #expect(history.contains { $0.kind == "oom" }, "\(Self.describe(history))")
            try await app.unity.alerts.waitUntilIdle()
            let alerts = try await ContainerAlertsRealEngineTests.activeAlerts(client, admin)
            #expect(ContainerAlertsRealEngineTests.rules(alerts, on: "\(hostName)/\(hungry)").contains("Container OOM-killed"), "\(alerts)")

            // None of it came from a discovery.
            #expect(try await ContainerHostRecord.find(hostID, on: app.db)?.lastDiscoveredAt == discoveredAt)

            // A discovery now sees the same changes in its diff and does not record them again.
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
            let afterStop = try await Self.rows(app, container: sleeper, hostID: hostID)
            #expect(afterStop.filter { $0.kind == "died" }.count == 1, "\(Self.describe(afterStop))")
            let afterOOM = try await Self.rows(app, container: hungry, hostID: hostID)
            #expect(afterOOM.filter { $0.kind == "oom" }.count == 1, "\(Self.describe(afterOOM))")
            #expect(afterOOM.filter { $0.kind == "died" }.count == 1, "\(Self.describe(afterOOM))")
        }
    }

    /// Podman's compat `/events` (events_logger=file, no `oom` event in 4.3) feeds the same history.
    @Test func podmanStopIsRecordedFromItsEventStream() async throws {
        let engine = try TestEngine.podman()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let sleeper = "ev-pod-\(tag)"
        try engine.cli(["run", "-d", "--name", sleeper, TestEngine.image, "sleep", "300"])
        defer { _ = try? engine.cli(["rm", "-f", "-t", "0", sleeper]) }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                json: ["socket_path": engine.socketPath, "name": "events-pod-\(tag)"])
            #expect(created.json["engine"] as? String == "podman", "\(created.body)")
            let hostID = try #require(UUID(uuidString: created.json["id"] as? String ?? ""))
            try engine.cli(["stop", "-t", "1", sleeper])
            let history = try await Self.waitForHistory(app, container: sleeper, hostID: hostID) { rows in
                rows.contains { $0.kind == "died" && $0.detail == "exit_code=137" }
            }
            #expect(history.contains { $0.kind == "died" && $0.detail == "exit_code=137" }, "\(Self.describe(history))")
        }
    }
}
