import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The live routes on the suite's Podman service (its Docker-compatible API on its own socket):
/// Podman's inspect must not leak environment values either (it has more places than Docker's).
@Suite(.timeLimit(.minutes(3)))
struct ContainerLivePodmanTests {
    static let canary = "unity-canary-podman-env-41b7"

    @Test func logsStatsTopAndMaskedInspectOnPodman() async throws {
        let engine = try TestEngine.podman()
        let name = "live-pod-\(UUID().uuidString.prefix(6).lowercased())"
        try engine.cli(["run", "-d", "--name", name, "--network", "host", "-e", "SECRET_TOKEN=\(Self.canary)", TestEngine.image,
                        "sh", "-c", "echo pod-out; sleep 0.2; echo pod-err >&2; exec sleep 600"])
        defer { _ = try? engine.cli(["rm", "-f", name]) }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["socket_path": engine.socketPath, "name": "pod"])
            let hostID = try #require(host.json["id"] as? String, "\(host.body)")
            let rows = try await client.send(.GET, "/api/v1/containers?host_id=\(hostID)", token: admin).jsonArray
            let base = "/api/v1/containers/\(try #require(rows.first { $0["name"] as? String == name }?["id"] as? String))"

            var logs = try await client.send(.GET, "\(base)/logs", token: admin)
            for _ in 0..<30 where logs.jsonArray.count < 2 {
                try await Task.sleep(for: .milliseconds(100))
                logs = try await client.send(.GET, "\(base)/logs", token: admin)
            }
            #expect(logs.status == .ok, "\(logs.body)")
            let lines = logs.jsonArray.map { "\($0["stream"] as? String ?? "?"):\($0["text"] as? String ?? "?")" }
            #expect(lines == ["stdout:pod-out", "stderr:pod-err"], "\(logs.body)")

            let inspect = try await client.send(.GET, "\(base)/inspect", token: admin)
            #expect(inspect.status == .ok, "\(inspect.body.prefix(300))")
            #expect(!inspect.body.contains(Self.canary), "an env value leaked from Podman's inspect")
            #expect(inspect.body.contains("SECRET_TOKEN=***"))

            let stats = try await client.send(.GET, "\(base)/stats?quick=true", token: admin)
            #expect(stats.status == .ok && (stats.json["memory_used_bytes"] as? Int ?? 0) > 0, "\(stats.body)")
            let top = try await client.send(.GET, "\(base)/top", token: admin)
            #expect(top.status == .ok && top.body.contains("sleep"), "\(top.body)")
            let volumes = try await client.send(.GET, "/api/v1/container-hosts/\(hostID)/volumes", token: admin)
            #expect(volumes.status == .ok, "\(volumes.body)")
        }
    }
}
