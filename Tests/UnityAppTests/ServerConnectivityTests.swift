import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The server API against a real sshd: first contact pins the host key (audited), a re-keyed
/// host is refused with nothing sent, status `host_key_changed` and a critical alert, and only an
/// admin's accept of the exact presented fingerprint (which resolves the alert) lets Unity talk to it again.
@Suite(.enabled(if: TestSSHServer.enabled)) struct ServerConnectivityTests {
    @Test func trustOnFirstUseThenRefusalOfAChangedKeyUntilAnAdminAccepts() async throws {
        let key = try SSHKeygen.newKey(type: "ed25519")
        let sshd = try TestSSHServer(authorizedKey: key.publicLine)
        try await sshd.start()
        defer { sshd.stop() }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let operatorToken = try await client.user(.operator, adminToken: admin).token
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
            let server = try await client.send(.POST, "/api/v1/servers", token: admin,
                                               json: ["name": "box", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID])
            let id = try #require(server.json["id"] as? String)

            let first = try await client.send(.POST, "/api/v1/servers/\(id)/test", token: operatorToken)
            #expect(first.json["ok"] as? Bool == true, "\(first.body)")
            #expect(first.json["host_key_pinned"] as? Bool == true)
            #expect((first.json["uname"] as? String)?.hasPrefix("Linux") == true)
            let pinned = try await client.send(.GET, "/api/v1/servers/\(id)/host-key", token: operatorToken)
            let expectedFingerprint = try TestSSHServer.run("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", sshd.directory + "/host_ed25519.pub"]).split(separator: " ")[1]
            #expect(((pinned.json["pinned"] as? [[String: Any]])?.first?["fingerprint"] as? String) == String(expectedFingerprint))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "servers.host_key_pinned").count() == 1)

            // The host is re-keyed: refused, recorded, and further tests refused without connecting.
            try sshd.rekey()
            try await sshd.restart()
            await app.unity.ssh.shutdown()  // drop the pooled connection so the next test really reconnects
            let changed = try await client.send(.POST, "/api/v1/servers/\(id)/test", token: operatorToken)
            #expect(changed.json["ok"] as? Bool == false)
            #expect(changed.json["status"] as? String == "host_key_changed")
            #expect((changed.json["error"] as? String)?.contains("CHANGED") == true)
            #expect(try await client.send(.POST, "/api/v1/servers/\(id)/test", token: operatorToken).status == .conflict)
            let firing = try await client.send(.GET, "/api/v1/alerts?status=firing", token: operatorToken)
            let alert = try #require((firing.json["items"] as? [[String: Any]])?.first)
            #expect(firing.json["total"] as? Int == 1)
            #expect(alert["resource_id"] as? String == id && alert["severity"] as? String == "critical")
            #expect(alert["rule"] as? String == "SSH host key changed")
            let waiting = try await client.send(.GET, "/api/v1/servers/\(id)/host-key", token: operatorToken)
            let presented = try #require((waiting.json["presented"] as? [String: Any])?["fingerprint"] as? String)
            #expect(presented != String(expectedFingerprint))

            // Only an admin may accept, and only the fingerprint that was presented.
            #expect(try await client.send(.POST, "/api/v1/servers/\(id)/host-key/accept", token: operatorToken, json: ["fingerprint": presented]).status == .forbidden)
            #expect(try await client.send(.POST, "/api/v1/servers/\(id)/host-key/accept", token: admin, json: ["fingerprint": "SHA256:wrong"]).errorField == "fingerprint")
            #expect(try await client.send(.POST, "/api/v1/servers/\(id)/host-key/accept", token: admin, json: ["fingerprint": presented]).status == .ok)
            #expect(try await client.send(.GET, "/api/v1/alerts?status=firing", token: operatorToken).json["total"] as? Int == 0)
            #expect(try await client.send(.GET, "/api/v1/alerts?status=resolved", token: operatorToken).json["total"] as? Int == 1)
            let after = try await client.send(.POST, "/api/v1/servers/\(id)/test", token: operatorToken)
            #expect(after.json["ok"] as? Bool == true, "\(after.body)")
            #expect(after.json["status"] as? String == "online")
        }
    }

    @Test func unreachableServersBecomeOffline() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let key = try SSHKeygen.newKey(type: "ed25519")
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
            let server = try await client.send(.POST, "/api/v1/servers", token: admin,
                                               json: ["name": "gone", "address": "127.77.0.1", "port": 9, "username": "root", "ssh_key_id": keyID])
            let id = try #require(server.json["id"] as? String)
            let result = try await client.send(.POST, "/api/v1/servers/\(id)/test", token: admin)
            #expect(result.json["ok"] as? Bool == false)
            #expect(result.json["status"] as? String == "offline")
            #expect(try await client.send(.GET, "/api/v1/servers/\(id)", token: admin).json["last_error"] as? String != nil)
        }
    }
}
