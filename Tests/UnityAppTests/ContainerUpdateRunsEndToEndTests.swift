import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnitySSH
import UnitySSHTestSupport
import UnityRegistryTestSupport
import UnityTestSupport
@testable import UnityApp

/// An update end to end with every part real: a v1 container on the test dockerd, reached by Unity
/// over a real sshd (`docker system dial-stdio` on the server's pinned connection), updated to v2
/// (pushed to a real registry) through `POST /api/v1/containers/{id}/update`, run by the real
/// `ContainerUpdateEngine` on the tracked job runner. The run ends `succeeded` with its journal, the
/// container runs v2 under its name, and the inventory row (same Unity id) follows the new container.
@Suite(.enabled(if: SSHD.enabled), .serialized, .timeLimit(.minutes(5)))
struct ContainerUpdateRunsEndToEndTests {
    @Test func dockerContainerUpdatedOverSSHThroughTheAPI() async throws {
        let registry = try TestRegistry.open()
        let images = try UpdateTestImages.shared(registryHost: registry.host)
        let engine = try TestEngine.docker()
        let name = "e2e-upd-\(UUID().uuidString.prefix(6).lowercased())"
        try engine.cli(["run", "-d", "--name", name, "--label", "unity.test=e2e", "--stop-timeout", "2", images.v1.reference])
        defer { _ = try? engine.cli(["rm", "-f", name]) }
        let oldID = try engine.cli(["inspect", "-f", "{{.Id}}", name]).trimmingCharacters(in: .whitespacesAndNewlines)

        let key = try TestKeys.ed25519()
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)]) { sshd in
            try await withUnityApp { app in
                // Short gate: v2's HEALTHCHECK runs every second.
                app.containerUpdateApply.preflight = AlwaysProceed(options: UpdateApplyOptions(
                    healthGate: HealthGateSettings(stableSeconds: 3, healthyTimeoutSeconds: 30, evidenceLogLines: 20)))
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let operatorToken = try await client.user(.operator, adminToken: admin).token
                let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.text]).json["id"] as? String)
                let server = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                    "name": "upd-box", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID,
                ]).json["id"] as? String)
                #expect(try await client.send(.POST, "/api/v1/servers/\(server)/test", token: admin).status == .ok)
                let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["server_id": server, "socket_path": engine.socketPath])
                #expect(host.status == .created && host.json["status"] as? String == "up", "\(host.body)")
                let hostID = try #require(host.json["id"] as? String)
                let listed = try await client.send(.GET, "/api/v1/containers?host_id=\(hostID)", token: admin).jsonArray
                let containerID = try #require(listed.first { $0["name"] as? String == name }?["id"] as? String, "\(listed.count) containers")

                let candidate = "\(images.v2.reference)@\(images.v2.digest)"
                let started = try await client.send(.POST, "/api/v1/containers/\(containerID)/update", token: operatorToken, json: ["candidate": candidate])
                #expect(started.status == .accepted, "\(started.body)")
                let runID = try #require(started.json["id"] as? String)
                var run: [String: Any] = [:]
                for _ in 0..<240 {
                    run = try await client.send(.GET, "/api/v1/update-runs/\(runID)", token: operatorToken).json
                    if let state = run["state"] as? String, state != "running" { break }
                    try await Task.sleep(for: .milliseconds(250))
                }
                #expect(run["state"] as? String == "succeeded", "\(run)")
                let steps = (run["steps"] as? [[String: Any]] ?? []).map { "\($0["step"] ?? "")/\($0["outcome"] ?? "")" }
                for expected in ["preflight/succeeded", "pull/succeeded", "pin_rollback/succeeded", "rename_old/succeeded", "create_new/succeeded",
                                 "stop_old/succeeded", "start_new/succeeded", "health_gate/succeeded", "remove_old/succeeded"] {
                    #expect(steps.contains(expected), "\(expected) missing from \(steps)")
                }
                #expect(!steps.contains { $0.hasPrefix("remove_new") || $0.hasPrefix("rename_back") }, "\(steps)")
                #expect(run["to_digest"] as? String == images.v2.digest && run["from_reference"] as? String == images.v1.reference)

                // The engine: v2 runs under the old name in a new container; the old one is gone.
                let now = try engine.cli(["inspect", "-f", "{{.Id}} {{.Image}} {{.State.Running}}", name]).trimmingCharacters(in: .whitespacesAndNewlines)
                let parts = now.split(separator: " ").map(String.init)
                #expect(parts.count == 3 && parts[0] != oldID && parts[1] == images.v2.imageID && parts[2] == "true", "\(now)")
                #expect((try? engine.cli(["inspect", oldID])) == nil)
                // The inventory row is the same container (its history stays with it) and shows v2.
                let row = try await client.send(.GET, "/api/v1/containers/\(containerID)", token: admin)
                #expect(row.json["engine_id"] as? String == parts[0] && row.json["image"] as? String == images.v2.reference, "\(row.body)")
                let history = try await client.send(.GET, "/api/v1/containers/\(containerID)/update-runs", token: admin)
                #expect(history.json["total"] as? Int == 1)
            }
        }
    }
}
