import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Runs a real `ssh-keygen`, the reference for formats and fingerprints.
enum SSHKeygen {
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSupportError("ssh-keygen \(arguments) failed") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new key file; returns (private key text, `ssh-keygen -y` line, `ssh-keygen -lf` fingerprint).
    static func newKey(type: String, bits: Int? = nil) throws -> (privateKey: String, publicLine: String, fingerprint: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unity-key-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".pub") }
        try run(["-q", "-t", type, "-N", "", "-C", "test@unity", "-f", path] + (bits.map { ["-b", String($0)] } ?? []))
            .isEmpty ? () : ()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let line = try run(["-y", "-f", path])
        let fingerprint = try run(["-l", "-E", "sha256", "-f", path]).split(separator: " ")[1]
        return (text, line, String(fingerprint))
    }
}

@Suite struct SSHKeysAPITests {
    @Test(arguments: TestDatabase.available)
    func importedKeysMatchSSHKeygenAndKeepTheirPrivatePartSealed(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            for (type, bits) in [("ed25519", nil), ("ecdsa", 256), ("ecdsa", 384), ("ecdsa", 521), ("rsa", 2048)] as [(String, Int?)] {
                let key = try SSHKeygen.newKey(type: type, bits: bits)
                let created = try await client.send(.POST, "/api/v1/ssh-keys", token: admin,
                                                    json: ["name": "\(type)-\(bits ?? 0)", "private_key": key.privateKey])
                #expect(created.status == .created, "\(type) \(created.body)")
                #expect(created.json["public_key"] as? String == key.publicLine)
                #expect(created.json["fingerprint"] as? String == key.fingerprint)
                #expect(!created.body.contains("PRIVATE KEY"))
                let id = try #require(created.json["id"] as? String)
                let stored = try #require(try await SSHKeyRecord.find(UUID(uuidString: id), on: app.db))
                #expect(stored.sealedPrivateKey.hasPrefix("unity:v2:") && !stored.sealedPrivateKey.contains("PRIVATE KEY"))
                let revealed = try await client.send(.POST, "/api/v1/ssh-keys/\(id)/reveal", token: admin)
                // Reveal answers in OpenSSH format whatever the import format: the same key, as ssh-keygen reads it.
                let text = try #require(revealed.json["private_key"] as? String)
                #expect(text.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----"))
                #expect(try SSHKeyGenerationAPITests.keygen(onPrivateKey: text, ["-l", "-E", "sha256"]).split(separator: " ")[1] == Substring(key.fingerprint))
            }
            let list = try await client.send(.GET, "/api/v1/ssh-keys", token: admin)
            #expect(list.json["total"] as? Int == 5)
            #expect(!list.body.contains("PRIVATE KEY"))
            let reveals = try await AuditEvent.query(on: app.db).filter(\.$action == "ssh_keys.reveal").count()
            #expect(reveals == 5)
        }
    }

    @Test func duplicatesAndGarbageAreRefusedClearly() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let key = try SSHKeygen.newKey(type: "ed25519")
            #expect(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "a", "private_key": key.privateKey]).status == .created)
            let again = try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "b", "private_key": key.privateKey])
            #expect(again.status == .conflict && again.errorMessage?.contains("already stored as a") == true)
            let garbage = try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "c", "private_key": "not a key"])
            #expect(garbage.status == .unprocessableEntity && garbage.errorField == "private_key")
        }
    }

    @Test func aKeyInUseCannotBeDeleted() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let key = try SSHKeygen.newKey(type: "ed25519")
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
            let server = try await client.send(.POST, "/api/v1/servers", token: admin,
                                               json: ["name": "nas", "address": "127.0.0.1", "username": "root", "ssh_key_id": keyID])
            #expect(server.status == .created)
            #expect(try await client.send(.DELETE, "/api/v1/ssh-keys/\(keyID)", token: admin).status == .conflict)
            let serverID = try #require(server.json["id"] as? String)
            #expect(try await client.send(.DELETE, "/api/v1/servers/\(serverID)", token: admin).status == .noContent)
            #expect(try await client.send(.DELETE, "/api/v1/ssh-keys/\(keyID)", token: admin).status == .noContent)
        }
    }
}
