import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Server credentials: secrets are write-only (sealed, never in lists), revealed only through the
/// audited endpoint; a server that references a credential logs in with it (real sshd).
@Suite(.enabled(if: TestSSHServer.enabled)) struct ServerCredentialsAPITests {
    @Test func credentialsAreSealedRevealedOnDemandAndUsedByServers() async throws {
        let key = try SSHKeygen.newKey(type: "ed25519")
        let sshd = try TestSSHServer(authorizedKey: key.publicLine)
        try await sshd.start()
        defer { sshd.stop() }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin).token
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
            #expect(try await client.send(.POST, "/api/v1/credentials", token: admin, json: ["name": "none", "username": "root"]).errorField == "ssh_key_id")
            #expect(try await client.send(.POST, "/api/v1/credentials", token: admin, json: ["name": "bad", "username": "root; rm", "ssh_key_id": keyID]).errorField == "username")
            let created = try await client.send(.POST, "/api/v1/credentials", token: admin,
                                                json: ["name": "root via key", "username": "root", "ssh_key_id": keyID, "sudo_password": "UNITYCANARY-sudo"])
            #expect(created.status == .created && created.json["has_sudo_password"] as? Bool == true, "\(created.body)")
            #expect(!created.body.contains("UNITYCANARY"))
            let id = try #require(created.json["id"] as? String)
            let stored = try #require(try await ServerCredential.find(UUID(uuidString: id), on: app.db))
            #expect(stored.sealedSudoPassword?.hasPrefix("unity:v2:") == true)

            let server = try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                "name": "via-credential", "address": sshd.address, "port": sshd.port, "username": "nobody", "credential_id": id])
            let serverID = try #require(server.json["id"] as? String, "\(server.body)")
            #expect(try await client.send(.POST, "/api/v1/servers/\(serverID)/test", token: admin).json["ok"] as? Bool == true)
            #expect(try await client.send(.GET, "/api/v1/credentials/\(id)", token: viewer).json["used_by"] as? Int == 1)
            #expect(try await client.send(.DELETE, "/api/v1/credentials/\(id)", token: admin).status == .conflict)

            // The canary credential is never revealed (the suite greps every response for canaries);
            // the reveal endpoint is exercised on a second credential with an ordinary secret.
            let second = try await client.send(.POST, "/api/v1/credentials", token: admin,
                                               json: ["name": "second", "username": "root", "ssh_key_id": keyID, "sudo_password": "revealable-sudo"])
            let secondID = try #require(second.json["id"] as? String)
            #expect(try await client.send(.POST, "/api/v1/credentials/\(secondID)/reveal", token: viewer).status == .forbidden)
            let revealed = try await client.send(.POST, "/api/v1/credentials/\(secondID)/reveal", token: admin)
            #expect(revealed.json["sudo_password"] as? String == "revealable-sudo")
            #expect(stored.sealedSudoPassword.map { try? ServerCredential.sudoPasswordColumn.open($0, id: stored.requireID(), in: app.unity.secrets) } == "UNITYCANARY-sudo")
            let audit = try await client.send(.GET, "/api/v1/audit?action=credentials.reveal", token: admin)
            // Both attempts are audited: the viewer's refused one and the admin's.
            let outcomes = (audit.json["items"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String }.sorted()
            #expect(outcomes?.count == 2 && outcomes?.contains("success") == true, "\(audit.body)")
        }
    }
}
