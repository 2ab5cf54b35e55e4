import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Keys Unity generates, checked with the real ssh-keygen: the revealed private key gives back the
/// stored public line (`ssh-keygen -y`) and fingerprint (`ssh-keygen -lf`). Encrypted imports are
/// stored decrypted inside the SecretBox; wrong or missing passphrases are named.
@Suite struct SSHKeyGenerationAPITests {
    static func keygen(onPrivateKey text: String, _ arguments: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unity-revealed-\(UUID())").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try SSHKeygen.run(arguments + ["-f", path])
    }

    @Test func generatedKeysOfEveryTypeMatchSSHKeygen() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin).token
            for (type, bits) in [("ed25519", nil), ("ecdsa-p256", nil), ("ecdsa-p384", nil), ("ecdsa-p521", nil), ("rsa", 2048), ("rsa", nil)] as [(String, Int?)] {
                var body: [String: Any] = ["name": "gen-\(type)-\(bits ?? 0)", "type": type, "comment": "unity@test"]
                if let bits { body["bits"] = bits }
                let created = try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: body)
                #expect(created.status == .created, "\(type): \(created.body)")
                #expect(created.json["type"] as? String == type)
                #expect(created.json["bits"] as? Int == (bits ?? (type == "rsa" ? 4096 : nil) ?? created.json["bits"] as? Int))
                let id = try #require(created.json["id"] as? String)
                let publicLine = try #require(created.json["public_key"] as? String)
                #expect(try await client.send(.POST, "/api/v1/ssh-keys/\(id)/reveal", token: viewer).status == .forbidden)
                let revealed = try await client.send(.POST, "/api/v1/ssh-keys/\(id)/reveal", token: admin)
                let privateKey = try #require(revealed.json["private_key"] as? String)
                #expect(privateKey.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----"))
                #expect(try Self.keygen(onPrivateKey: privateKey, ["-y"]) == publicLine)
                let fingerprint = try Self.keygen(onPrivateKey: privateKey, ["-l", "-E", "sha256"]).split(separator: " ")[1]
                #expect(created.json["fingerprint"] as? String == String(fingerprint))
            }
            let badBits = try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "x", "type": "rsa", "bits": 1024])
            #expect(badBits.status == .unprocessableEntity && badBits.errorField == "bits")
            let badType = try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "y", "type": "dsa"])
            #expect(badType.errorField == "type")
        }
    }

    @Test func encryptedImportsNeedTheRightPassphrase() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unity-enc-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".pub") }
        _ = try SSHKeygen.run(["-q", "-t", "ed25519", "-N", "UNITYCANARY-passphrase", "-C", "enc@test", "-f", path])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let publicLine = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let missing = try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "enc", "private_key": text])
            #expect(missing.errorField == "passphrase", "\(missing.body)")
            let wrong = try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "enc", "private_key": text, "passphrase": "nope"])
            #expect(wrong.errorField == "passphrase" && !wrong.body.contains("nope"))
            let mismatch = try await client.send(.POST, "/api/v1/ssh-keys", token: admin,
                                                 json: ["name": "enc", "private_key": text, "passphrase": "UNITYCANARY-passphrase",
                                                        "public_key": try SSHKeygen.newKey(type: "ed25519").publicLine])
            #expect(mismatch.errorField == "public_key")
            let created = try await client.send(.POST, "/api/v1/ssh-keys", token: admin,
                                                json: ["name": "enc", "private_key": text, "passphrase": "UNITYCANARY-passphrase", "public_key": publicLine])
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json["public_key"] as? String == publicLine)
            #expect(!created.body.contains("UNITYCANARY"))
        }
    }
}
