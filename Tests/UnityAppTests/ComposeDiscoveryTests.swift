import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// A real `docker-compose` 1.29 project on the shared test dockerd (two services, a named volume
/// shared by both and an anonymous one; the busybox image imported locally, no registry; no
/// network, as the test daemon has no bridge): discovery shows compose project, service, working
/// directory and config files, and every mount with its kind.
@Suite struct ComposeDiscoveryTests {
    static let yaml = """
    version: "3.8"
    services:
      web:
        image: \(TestEngine.image)
        command: ["sleep", "300"]
        network_mode: none
        volumes:
          - data:/data
          - /anon
      worker:
        image: \(TestEngine.image)
        command: ["sleep", "300"]
        network_mode: none
        volumes:
          - data:/shared:ro
    volumes:
      data: {}
    """

    @Test func aComposeProjectIsDiscoveredWithItsLabelsAndMounts() async throws {
        let engine = try TestEngine.docker()
        let project = "unityc\(UUID().uuidString.prefix(6).lowercased())"
        let compose = try TestCompose(engine: engine, projectName: project, yaml: Self.yaml)
        defer { compose.tearDown() }
        try compose.run(["up", "-d", "--no-build"])

        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                json: ["socket_path": engine.socketPath, "name": "compose-\(project)"])
            #expect(created.status == .created, "\(created.body)")
            let rows = try await client.send(.GET, "/api/v1/containers?compose_project=\(project)", token: admin).jsonArray
            #expect(rows.count == 2, "\(rows)")
            for service in ["web", "worker"] {
                let row = try #require(rows.first { ($0["compose"] as? [String: Any])?["service"] as? String == service }, "\(rows)")
                let compose = try #require(row["compose"] as? [String: Any])
                #expect(compose["project"] as? String == project)
                #expect((compose["working_dir"] as? String).map { $0.hasPrefix("/tmp/unity-compose-") } == true, "\(compose)")
                #expect((compose["config_files"] as? [String])?.contains { $0.hasSuffix("docker-compose.yml") } == true, "\(compose)")
                #expect(row["state"] as? String == "running")
            }
            func mounts(_ service: String) -> [[String: Any]] {
                (rows.first { ($0["compose"] as? [String: Any])?["service"] as? String == service }?["mounts"] as? [[String: Any]]) ?? []
            }
            let web = mounts("web")
            #expect(web.contains { $0["kind"] as? String == "named_volume" && $0["name"] as? String == "\(project)_data" && $0["destination"] as? String == "/data" }, "\(web)")
            #expect(web.contains { $0["kind"] as? String == "anonymous_volume" && $0["destination"] as? String == "/anon" }, "\(web)")
            let worker = mounts("worker")
            #expect(worker.count == 1 && worker.first?["name"] as? String == "\(project)_data" && worker.first?["read_write"] as? Bool == false, "\(worker)")
        }
    }
}
