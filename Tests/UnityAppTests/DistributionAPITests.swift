import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Key distribution through the API against real sshd servers: rotating Unity's own key switches
/// each server to the new key only after it was proven there; install and revoke are tracked.
/// (The ≥ 5-server rotation with a failing server is UnityCredentialsTests' acceptance test.)
@Suite(.enabled(if: TestSSHServer.enabled)) struct DistributionAPITests {
    static func finished(_ client: TestClient, _ id: String, token: String) async throws -> [String: Any] {
        for _ in 0..<600 {
            let job = try await client.send(.GET, "/api/v1/distributions/\(id)", token: token).json
            if job["status"] as? String != "running" { return job }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSupportError("distribution \(id) did not finish")
    }

    @Test func rotateInstallAndRevokeAcrossServers() async throws {
        let access = try SSHKeygen.newKey(type: "ed25519")
        let servers = try (0..<2).map { _ in try TestSSHServer(authorizedKey: access.publicLine + "\n") }
        for sshd in servers { try await sshd.start() }
        defer { servers.forEach { $0.stop() } }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin).token
            let oldKey = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "old", "private_key": access.privateKey]).json["id"] as? String)
            let newKey = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "new", "type": "ecdsa-p256"]).json["id"] as? String)
            let extra = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "extra", "type": "ed25519"]).json["id"] as? String)
            var serverIDs: [String] = []
            for (index, sshd) in servers.enumerated() {
                let created = try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                    "name": "box\(index)", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": oldKey])
                serverIDs.append(try #require(created.json["id"] as? String))
                #expect(try await client.send(.POST, "/api/v1/servers/\(serverIDs[index])/test", token: admin).json["ok"] as? Bool == true)
            }
            // Each sshd reads its own file; one job per server keeps the absolute path right.
            let body: (String, String?, Int) -> [String: Any] = { operation, key, index in
                var json: [String: Any] = ["operation": operation, "key_id": key ?? oldKey, "server_ids": [serverIDs[index]],
                                           "authorized_keys_path": servers[index].directory + "/authorized_keys"]
                if operation == "rotate" { json["key_id"] = oldKey; json["new_key_id"] = newKey }
                return json
            }
            #expect(try await client.send(.POST, "/api/v1/distributions", token: viewer, json: body("rotate", nil, 0)).status == .forbidden)
            for index in servers.indices {
                let started = try await client.send(.POST, "/api/v1/distributions", token: admin, json: body("rotate", nil, index))
                #expect(started.status == .accepted, "\(started.body)")
                let job = try await Self.finished(client, try #require(started.json["id"] as? String), token: viewer)
                #expect(job["status"] as? String == "succeeded", "\(job)")
                let result = try #require((job["results"] as? [[String: Any]])?.first)
                #expect(result["access_switched"] as? Bool == true)
                #expect((result["steps"] as? [[String: Any]])?.contains { $0["step"] as? String == "prove_revoked" && $0["outcome"] as? String == "succeeded" } == true)
            }
            // Unity now reaches both servers with the new key, and the old key no longer logs in.
            for id in serverIDs {
                #expect(try await client.send(.GET, "/api/v1/servers/\(id)", token: admin).json["ssh_key_id"] as? String == newKey)
                await app.unity.ssh.shutdown()
                #expect(try await client.send(.POST, "/api/v1/servers/\(id)/test", token: admin).json["ok"] as? Bool == true)
            }
            #expect(try await KeyInstallation.query(on: app.db).filter(\.$keyID == UUID(uuidString: newKey)!).count() == 2)
            let placed = try await client.send(.GET, "/api/v1/ssh-keys/\(newKey)", token: viewer)
            #expect((placed.json["installed_on"] as? [String])?.count == 2 && placed.json["last_used_at"] != nil, "\(placed.body)")

            // Install another key, then revoke it: the access key stays.
            let installed = try await client.send(.POST, "/api/v1/distributions", token: admin, json: body("install", extra, 0))
            #expect(try await Self.finished(client, try #require(installed.json["id"] as? String), token: admin)["status"] as? String == "succeeded")
            let revoked = try await client.send(.POST, "/api/v1/distributions", token: admin, json: body("revoke", extra, 0))
            #expect(try await Self.finished(client, try #require(revoked.json["id"] as? String), token: admin)["status"] as? String == "succeeded")
            #expect(try await KeyInstallation.query(on: app.db).filter(\.$keyID == UUID(uuidString: extra)!).count() == 0)
            let file = try String(contentsOfFile: servers[0].directory + "/authorized_keys", encoding: .utf8)
            #expect(file.split(separator: "\n").count == 1 && file.hasPrefix("ecdsa-sha2-nistp256 "))
            // Per-server outcomes are counted for dashboards.
            let metrics = try await client.send(.GET, "/metrics").body
            #expect(metrics.contains(#"unity_key_distribution_server_results_total{operation="revoke",outcome="succeeded"} 1"#), "\(metrics)")
            #expect(try await client.send(.POST, "/api/v1/distributions", token: admin, json: ["operation": "rotate", "key_id": oldKey, "server_ids": [serverIDs[0]]]).errorField == "new_key_id")
        }
    }
}
