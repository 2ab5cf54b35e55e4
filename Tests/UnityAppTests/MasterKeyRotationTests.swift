import Fluent
import Foundation
import Testing
import UnityACME
import UnityCore
import UnityTestSupport
import Vapor
@testable import UnityApp

/// `unity rotate-master-key` as an admin runs it: one value in every sealed column, rotate, restart
/// with only the new key, and every secret still works end to end (a webhook test-send reaches a real
/// local receiver, keys are revealed, the internal CA issues, step-ca signs against its contract fake).
@Suite("master-key rotation", .timeLimit(.minutes(3)))
struct MasterKeyRotationTests {
    // Not a canary: the test reads it back through the audited reveal endpoint, whose responses are captured.
    static let password = "rotation-password-revealed-on-purpose"

    /// What was stored before the rotation, to compare with what is read after it.
    struct Seeded {
        var sshKeyID = "", credentialID = "", channelID = "", certificateID = "", authorityID = "", registryID = ""
        var accountID = UUID(), orderID = UUID()
        var certificateKey = ""
        let accountKey = ACMEAccountKey.generateP256().pemRepresentation
        let eabHMAC = "UNITYCANARY-eab-hmac-rotation"
        let dnsSecrets = #"{"api_token":"UNITYCANARY-dns-rotation"}"#
    }

    @Test("every sealed column survives rotation and a restart with only the new key", arguments: TestDatabase.available)
    func everySecretSurvivesRotation(database: TestDatabase) async throws {
        let unity = try RestartableUnity(database)
        defer { unity.cleanUp() }
        try await withPeer(script: "http_receiver.py", arguments: ["--statuses", "204"]) { receiver in
            try await StepCAFake.with(password: Self.password) { fake in
                let seeded = try await unity.run { app in try await Self.seed(app, receiver: receiver, stepCA: fake) }
                let oldKeyID = try MasterKey(base64: String(contentsOfFile: unity.keyFile, encoding: .utf8)).id
                try await unity.run { app in try await RestartableUnity.rotateMasterKey(app) }
                #expect(!FileManager.default.fileExists(atPath: unity.nextKeyFile))

                try await unity.run { app in
                    #expect(app.unity.secrets.keyIDs == [app.unity.secrets.primary.id], "only the new key is loaded")
                    #expect(app.unity.secrets.primary.id != oldKeyID)
                    try await Self.expectEverySecretReadable(app, seeded, receiver: receiver)
                    for (column, values) in try await RestartableUnity.sealedValues(app) {
                        #expect(!values.isEmpty, "the test seeds no value in \(column)")
                        for value in values {
                            #expect(app.unity.secrets.isSealedWithPrimary(value), "\(column) is still sealed with the old key")
                        }
                    }
                }
            }
        }
    }

    /// The `UNITY_MASTER_KEY` path, interrupted half-way: the new key is in `master.key.next`, half the
    /// columns are re-encrypted. Started with `UNITY_MASTER_KEY=<new>` and `UNITY_MASTER_KEY_PREVIOUS=<old>`
    /// everything opens; re-running the command (still on the old key) finishes; then the new key alone opens all.
    @Test("an interrupted rotation with UNITY_MASTER_KEY stays readable with both keys and a re-run finishes it",
          arguments: TestDatabase.available)
    func interruptedEnvironmentRotationResumes(database: TestDatabase) async throws {
        let unity = try RestartableUnity(database)
        defer { unity.cleanUp() }
        let old = MasterKey.generate(), new = MasterKey.generate()
        try await withPeer(script: "http_receiver.py", arguments: ["--statuses", "204"]) { receiver in
            try await StepCAFake.with(password: Self.password) { fake in
                let seeded = try await unity.run(["UNITY_MASTER_KEY": old.base64]) { app in
                    let seeded = try await Self.seed(app, receiver: receiver, stepCA: fake)
                    // The crash: the next key written, then only half of the columns re-encrypted.
                    try MasterKeyStore.writeKeyFile(new, to: unity.nextKeyFile)
                    let columns = SealedColumnRegistry.standard.columns
                    let done = try await RotateMasterKeyCommand().reencrypt(
                        from: app.unity.secrets, to: SecretBox(primary: new, others: [old]), on: app.db, columns: Array(columns.prefix(columns.count / 2)))
                    #expect(done > 0)
                    return seeded
                }
                // The operator already switched the environment; the .next file is elsewhere.
                try FileManager.default.moveItem(atPath: unity.nextKeyFile, toPath: unity.nextKeyFile + ".aside")
                try await unity.run(["UNITY_MASTER_KEY": new.base64, "UNITY_MASTER_KEY_PREVIOUS": old.base64]) { app in
                    #expect(app.unity.secrets.keyIDs == [old.id, new.id])
                    try await Self.expectEverySecretReadable(app, seeded, receiver: receiver)
                }
                // Re-run the command as it was started: it continues with the key in master.key.next.
                try FileManager.default.moveItem(atPath: unity.nextKeyFile + ".aside", toPath: unity.nextKeyFile)
                try await unity.run(["UNITY_MASTER_KEY": old.base64]) { app in try await RestartableUnity.rotateMasterKey(app) }
                try FileManager.default.removeItem(atPath: unity.nextKeyFile)
                try await unity.run(["UNITY_MASTER_KEY": new.base64]) { app in
                    #expect(app.unity.secrets.keyIDs == [new.id])
                    try await Self.expectEverySecretReadable(app, seeded, receiver: receiver)
                    for (column, values) in try await RestartableUnity.sealedValues(app) {
                        #expect(values.allSatisfy { app.unity.secrets.isSealedWithPrimary($0) }, "\(column) is still sealed with the old key")
                    }
                }
            }
        }
    }

    /// One value in every sealed column: through the API where the API can store it without an
    /// external CA, through the models for ACME (whose API registers at a live ACME server).
    static func seed(_ app: Application, receiver: Peer, stepCA: StepCAFake) async throws -> Seeded {
        var seeded = Seeded()
        let client = TestClient(app)
        let admin = try await client.login("admin", TestClient.adminPassword)
        func created(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
            let response = try await client.send(.POST, path, token: admin, json: body)
            guard response.status == .created else { throw TestSupportError("\(path): \(response.status) \(response.body)") }
            return response.json
        }
        seeded.sshKeyID = try #require(try await created("/api/v1/ssh-keys", ["name": "rotated", "type": "ed25519"])["id"] as? String)
        seeded.credentialID = try #require(try await created("/api/v1/credentials", [
            "name": "login", "username": "root", "password": Self.password + "-login", "sudo_password": Self.password + "-sudo"])["id"] as? String)
        seeded.channelID = try #require(try await created("/api/v1/notification-channels", ["name": "hook", "url": "\(receiver.baseURL)/hook"])["id"] as? String)
        // The first issue creates the internal CA (its key sealed) and a leaf (its key sealed).
        seeded.certificateID = try #require(try await created("/api/v1/certificates/issue", ["dns_names": ["rotated.home.arpa"]])["id"] as? String)
        seeded.certificateKey = try #require(try await client.send(.POST, "/api/v1/certificates/\(seeded.certificateID)/reveal-key", token: admin).json["private_key_pem"] as? String)
        seeded.authorityID = try #require(try await created("/api/v1/step-ca/authorities", [
            "name": "lab-ca", "url": stepCA.url, "root_fingerprint": stepCA.rootFingerprint,
            "provisioner_name": stepCA.provisionerName, "encrypted_key": stepCA.encryptedKey, "password": Self.password])["id"] as? String)
        seeded.registryID = try #require(try await created("/api/v1/registries", [
            "host": "registry.home.arpa", "username": "robot", "password": Self.password + "-registry"])["id"] as? String)

        let secrets = app.unity.secrets
        let account = ACMEAccountRecord()
        account.id = seeded.accountID
        account.name = "rotated"
        account.preset = "custom"
        account.directoryURL = "https://acme.invalid/directory"
        account.eabKeyID = "kid-1"
        account.sealedEABHMAC = try secrets.seal(seeded.eabHMAC, purpose: ACMEAccountRecord.eabPurpose)
        account.sealedAccountKey = try secrets.seal(seeded.accountKey, purpose: ACMEAccountRecord.accountKeyPurpose)
        account.status = "valid"
        try await account.create(on: app.db)
        let order = ACMEOrderRecord()
        order.id = seeded.orderID
        order.accountID = seeded.accountID
        order.names = #"["rotated.home.arpa"]"#
        order.challenge = "dns-01"
        order.dnsProvider = "cloudflare"
        order.sealedDNSSecrets = try secrets.seal(seeded.dnsSecrets, purpose: ACMEOrderRecord.dnsSecretsPurpose)
        order.keyType = "ecdsa-p256"
        order.status = "valid"
        try await order.create(on: app.db)
        return seeded
    }

    static func expectEverySecretReadable(_ app: Application, _ seeded: Seeded, receiver: Peer) async throws {
        let client = TestClient(app)
        let admin = try await client.login("admin", TestClient.adminPassword)  // the JWT signing key opened
        let test = try await client.send(.POST, "/api/v1/notification-channels/\(seeded.channelID)/test", token: admin)
        #expect(test.status == .ok && test.json["ok"] as? Bool == true && test.json["http_status"] as? Int == 204, "channel test-send: \(test.status) \(test.body)")
        let key = try await client.send(.POST, "/api/v1/ssh-keys/\(seeded.sshKeyID)/reveal", token: admin)
        // Reveal re-encodes the key in OpenSSH format, whose check number is random: compare the status.
        #expect(key.status == .ok && (key.json["private_key"] as? String)?.contains("OPENSSH PRIVATE KEY") == true, "SSH key: \(key.status)")
        let login = try await client.send(.POST, "/api/v1/credentials/\(seeded.credentialID)/reveal", token: admin)
        #expect(login.json["password"] as? String == Self.password + "-login", "login: \(login.status) \(login.errorMessage ?? "")")
        #expect(login.json["sudo_password"] as? String == Self.password + "-sudo")
        let certificateKey = try await client.send(.POST, "/api/v1/certificates/\(seeded.certificateID)/reveal-key", token: admin)
        #expect(certificateKey.json["private_key_pem"] as? String == seeded.certificateKey, "certificate key: \(certificateKey.status)")
        let issued = try await client.send(.POST, "/api/v1/certificates/issue", token: admin, json: ["dns_names": ["after.home.arpa"]])
        #expect(issued.status == .created, "the internal CA's key: \(issued.status) \(issued.body)")
        let signed = try await client.send(.POST, "/api/v1/step-ca/authorities/\(seeded.authorityID)/x509", token: admin, json: ["names": ["after.homelab.test"]])
        #expect(signed.status == .created, "step-ca provisioner key and password: \(signed.status) \(signed.body)")

        let secrets = app.unity.secrets
        let account = try #require(try await ACMEAccountRecord.find(seeded.accountID, on: app.db))
        let eab = try #require(account.sealedEABHMAC)
        #expect(try ACMEAccountRecord.accountKeyColumn.open(account.sealedAccountKey, id: seeded.accountID, in: secrets) == seeded.accountKey)
        #expect(try ACMEAccountRecord.eabColumn.open(eab, id: seeded.accountID, in: secrets) == seeded.eabHMAC)
        let order = try #require(try await ACMEOrderRecord.find(seeded.orderID, on: app.db))
        let dns = try #require(order.sealedDNSSecrets)
        #expect(try ACMEOrderRecord.dnsSecretsColumn.open(dns, id: seeded.orderID, in: secrets) == seeded.dnsSecrets)
        // The registry password has no reveal endpoint: it is read the way update checks read it.
        let registry = try #require(try await RegistryCredentialRecord.find(UUID(uuidString: seeded.registryID), on: app.db))
        let password = try #require(registry.sealedPassword)
        #expect(try RegistryCredentialRecord.passwordColumn.open(password, id: registry.requireID(), in: secrets) == Self.password + "-registry")
    }
}
