import Fluent
import Foundation
import Testing
import UnitySSH
import UnityTestSupport
import Vapor
@testable import UnityApp

/// A jump server is a monitored server like any other, against two real sshd: the first connection
/// through it pins its host key on its own row (audited), a re-keyed bastion refuses the connection to the
/// server behind it before anything is sent, with `host_key_changed` and the alert on the jump server,
/// and the server page shows the bastion's key and state. Both transports: an ed25519 user key runs on
/// swift-nio-ssh, an RSA one on the system OpenSSH client (ProxyJump).
@Suite(.enabled(if: TestSSHServer.enabled)) struct JumpHostPinningTests {
    @Test(arguments: ["ed25519", "rsa"])
    func theBastionIsPinnedOnFirstUseAndARekeyedBastionStopsTheConnection(userKeyType: String) async throws {
        let key = try SSHKeygen.newKey(type: userKeyType)
        let bastion = try TestSSHServer(authorizedKey: key.publicLine)
        let inner = try TestSSHServer(authorizedKey: key.publicLine)
        try await bastion.start()
        defer { bastion.stop() }
        try await inner.start()
        defer { inner.stop() }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
            let jumpID = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                "name": "bastion", "address": bastion.address, "port": bastion.port, "username": "root", "ssh_key_id": keyID,
            ]).json["id"] as? String)
            let id = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                "name": "inner", "address": inner.address, "port": inner.port, "username": "root", "ssh_key_id": keyID, "jump_server_id": jumpID,
            ]).json["id"] as? String)

            let first = try await client.send(.POST, "/api/v1/servers/\(id)/test", token: admin)
            #expect(first.json["ok"] as? Bool == true, "\(first.body)")
            #expect(first.json["transport"] as? String == (userKeyType == "rsa" ? "openssh" : "nio"))
            let bastionFingerprint = try HostKeyPin(line: bastion.hostPublicKey).fingerprint
            let pinned = try await client.send(.GET, "/api/v1/servers/\(jumpID)/host-key", token: admin)
            #expect(((pinned.json["pinned"] as? [[String: Any]])?.first?["fingerprint"] as? String) == bastionFingerprint,
                    "the first connection through the bastion pins it: \(pinned.body)")
            let pinEvents = try await AuditEvent.query(on: app.db).filter(\.$action == "servers.host_key_pinned").filter(\.$targetID == jumpID).count()
            #expect(pinEvents == 1)
            let browser = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let page = try await browser.get("/servers/\(id.lowercased())")
            #expect(page.body.contains("Jump host key") && page.body.contains(bastionFingerprint), "the server page shows the bastion's pin")

            // The bastion answers with another key: whoever it is, it gets neither credential nor command.
            try bastion.rekey()
            try await bastion.restart()
            for endpoint in [bastion, inner] {
                await app.unity.ssh.invalidate(SSHTarget(host: endpoint.address, port: endpoint.port, username: "root",
                                                         credential: .password("-"), hostKeyPolicy: .trustOnFirstUse))
            }
            let reachedInner = try String(contentsOfFile: inner.directory + "/sshd.log", encoding: .utf8).components(separatedBy: "Connection from").count
            let refused = try await client.send(.POST, "/api/v1/servers/\(id)/test", token: admin)
            #expect(refused.json["ok"] as? Bool == false, "\(refused.body)")
            #expect((refused.json["error"] as? String)?.contains("jump host") == true, "\(refused.body)")
            let jump = try await client.send(.GET, "/api/v1/servers/\(jumpID)", token: admin)
            #expect(jump.json["status"] as? String == "host_key_changed", "\(jump.body)")
            let waiting = try await client.send(.GET, "/api/v1/servers/\(jumpID)/host-key", token: admin)
            #expect(((waiting.json["presented"] as? [String: Any])?["fingerprint"] as? String) == (try HostKeyPin(line: bastion.hostPublicKey)).fingerprint)
            let afterRefusal = try String(contentsOfFile: inner.directory + "/sshd.log", encoding: .utf8).components(separatedBy: "Connection from").count
            #expect(afterRefusal == reachedInner, "nothing reached the server behind the bastion")
            let firing = try await client.send(.GET, "/api/v1/alerts?status=firing", token: admin)
            let alerts = (firing.json["items"] as? [[String: Any]]) ?? []
            #expect(alerts.contains { $0["resource_id"] as? String == jumpID && $0["rule"] as? String == "SSH host key changed" }, "\(firing.body)")
            // Until an admin reviews the bastion's key, Unity does not knock on it again for the server behind it.
            #expect(try await client.send(.POST, "/api/v1/servers/\(id)/test", token: admin).status == .conflict)
            #expect(try await browser.get("/servers/\(id.lowercased())").body.contains("jump-host-key-changed"))
        }
    }
}
