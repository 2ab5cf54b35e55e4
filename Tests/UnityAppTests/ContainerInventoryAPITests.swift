import Fluent
import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Container hosts on the real dockerd and Podman service of UnityContainersTestSupport, reached over
/// their unix sockets, on SQLite and PostgreSQL: discovery, the API's view, audited actions that
/// change the real state, removal on the engine, and an unreachable socket.
@Suite struct ContainerInventoryAPITests {
    static let canary = "unity-canary-env-value-5f1c"

    @Test(arguments: TestDatabase.available, [ContainerEngineKind.docker, .podman])
    func discoverListActAndRemove(database: TestDatabase, kind: ContainerEngineKind) async throws {
        let engine = kind == .docker ? try TestEngine.docker() : try TestEngine.podman()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let running = "inv-run-\(tag)", exited = "inv-exit-\(tag)", sick = "inv-sick-\(tag)"
        try engine.cli(["run", "-d", "--name", running, "--network", "host", "-e", "SECRET_TOKEN=\(Self.canary)",
                        "-v", "inv-data-\(tag):/data", "-v", "/anon", "--restart", "unless-stopped",
                        "--label", "com.docker.compose.project=proj-\(tag)", "--label", "com.docker.compose.service=web",
                        "--label", "com.docker.compose.project.working_dir=/srv/proj", TestEngine.image, "sleep", "300"])
        // `run` answers the container's own exit status (3): expected.
        _ = try? engine.cli(["run", "--name", exited, "--network", "host", TestEngine.image, "sh", "-c", "exit 3"])
        try engine.cli(["run", "-d", "--name", sick, "--network", "host", "--health-cmd", "false", "--health-interval", "1s",
                        "--health-retries", "1", TestEngine.image, "sleep", "300"])
        defer { for name in [running, exited, sick] { _ = try? engine.cli(["rm", "-f", "-v", name]) } }
        if kind == .docker {
            for _ in 0..<50 where try engine.cli(["inspect", "-f", "{{.State.Health.Status}}", sick]).contains("unhealthy") == false { usleep(200_000) }
        }

        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                json: ["socket_path": engine.socketPath, "name": "local-\(kind)"])
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json["engine"] as? String == kind.rawValue)
            #expect(created.json["api_version"] as? String == "1.41")
            #expect(created.json["status"] as? String == "up")
            #expect((created.json["engine_version"] as? String)?.isEmpty == false)
            let hostID = try #require(created.json["id"] as? String)
            #expect(try await client.send(.GET, "/api/v1/container-hosts/\(hostID)", token: admin).json["engine"] as? String == kind.rawValue)

            let list = try await client.send(.GET, "/api/v1/containers?host_id=\(hostID)", token: admin)
            #expect(!list.body.contains(Self.canary))
            let rows = list.jsonArray
            let web = try #require(rows.first { $0["name"] as? String == running }, "\(list.body)")
            #expect(web["state"] as? String == "running")
            #expect((web["env_names"] as? [String])?.contains("SECRET_TOKEN") == true)
            #expect((web["compose"] as? [String: Any])?["project"] as? String == "proj-\(tag)")
            #expect((web["compose"] as? [String: Any])?["working_dir"] as? String == "/srv/proj")
            let kinds = Set(((web["mounts"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String })
            #expect(kinds == ["named_volume", "anonymous_volume"], "\(web)")
            #expect(web["restart_policy"] as? String == "unless-stopped")
            let failed = try #require(rows.first { $0["name"] as? String == exited })
            #expect(failed["state"] as? String == "exited" && failed["exit_code"] as? Int == 3)
            if kind == .docker { #expect(rows.first { $0["name"] as? String == sick }?["health"] as? String == "unhealthy") }
            let byProject = try await client.send(.GET, "/api/v1/containers?compose_project=proj-\(tag)", token: admin).jsonArray
            #expect(byProject.map { $0["name"] as? String } == [running])
            #expect(try await client.send(.GET, "/api/v1/containers?host_id=nope", token: admin).errorField == "host_id")

            // Actions change the real engine state, are audited, and a running container is not removed without force.
            let webID = try #require(web["id"] as? String)
            let stopped = try await client.send(.POST, "/api/v1/containers/\(webID)/stop?timeout=0", token: admin)
            #expect(stopped.status == .ok, "\(stopped.body)")
            #expect(stopped.json["state"] as? String == "exited")
            #expect(try engine.cli(["inspect", "-f", "{{.State.Status}}", running]).contains("exited"))
            #expect(try await client.send(.POST, "/api/v1/containers/\(webID)/stop?timeout=x", token: admin).errorField == "timeout")
            let restarted = try await client.send(.POST, "/api/v1/containers/\(webID)/start", token: admin)
            #expect(restarted.json["state"] as? String == "running", "\(restarted.body)")
            let refused = try await client.send(.DELETE, "/api/v1/containers/\(webID)", token: admin)
            #expect(refused.status == .conflict && refused.errorCode == "container_running", "\(refused.body)")
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "containers.stop").first()
            #expect(audit?.targetID == webID && audit?.outcome == "success")
            let events = try await ContainerEventRecord.query(on: app.db).filter(\.$containerID == UUID(uuidString: webID)!).all().map(\.kind)
            #expect(events.contains("died") && events.contains("started"), "\(events)")

            // Removed on the engine: the row stays, marked removed, with an event.
            try engine.cli(["rm", "-f", exited])
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
            let failedID = try #require(UUID(uuidString: failed["id"] as? String ?? ""))
            let gone = try #require(try await ContainerRecord.find(failedID, on: app.db))
            #expect(gone.removedAt != nil)
            #expect(try await ContainerEventRecord.query(on: app.db).filter(\.$containerID == failedID).filter(\.$kind == "removed").count() == 1)
            #expect(!(try await client.send(.GET, "/api/v1/containers", token: admin).body.contains(exited)))
            #expect(try await client.send(.GET, "/api/v1/containers?include_removed=true", token: admin).body.contains(exited))
            // A discovery that finds nothing new about a container leaves its row alone (both databases'
            // date precisions): warm discoveries used to rewrite every row.
            let webRowID = try #require(UUID(uuidString: webID))
            let unchanged = try #require(try await ContainerRecord.find(webRowID, on: app.db)).updatedAt
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
            #expect(try await ContainerRecord.find(webRowID, on: app.db)?.updatedAt == unchanged)
            try engine.cli(["stop", "-t", "0", running])
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
            let stoppedRow = try #require(try await ContainerRecord.find(webRowID, on: app.db))
            #expect(stoppedRow.state == "exited" && stoppedRow.updatedAt > unchanged)
            #expect(try await client.send(.DELETE, "/api/v1/container-hosts/\(hostID)", token: admin).status == .noContent)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anUnreachableSocketIsRecordedAndDiscoverAnswers503(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                json: ["socket_path": "/nonexistent/unity-\(UUID().uuidString.prefix(6)).sock", "name": "gone"])
            #expect(created.status == .created)
            #expect(created.json["status"] as? String == "unreachable")
            #expect(created.json["last_error_code"] as? String == "container_engine_socket_not_found")
            let hostID = try #require(created.json["id"] as? String)
            let discover = try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin)
            #expect(discover.status == .serviceUnavailable)
            #expect(discover.errorCode == "container_engine_socket_not_found")
            #expect(discover.errorMessage?.contains("No container engine socket") == true)
            // The scheduled discovery goes on past a failing host and says so.
            let run = try await client.send(.POST, "/api/v1/tasks/container-discovery/run", token: admin)
            #expect(run.status == .ok, "\(run.body)")
            #expect(run.body.contains("1 container hosts: 0 up, 1 not"), "\(run.body)")
            #expect(try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["socket_path": "relative.sock", "name": "x"]).errorField == "socket_path")
            #expect(try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["name": "x"]).errorField == "server_id")
            #expect(try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["server_id": UUID().uuidString]).errorField == "server_id")
        }
    }
}
