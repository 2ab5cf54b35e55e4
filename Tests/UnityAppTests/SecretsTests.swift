import Fluent
import SQLKit
import Foundation
import Testing
import UnityCore
import UnityTestSupport
import Vapor
@testable import UnityApp

@Suite struct SecretsTests {
    /// A database written with one master key refuses to start with another, naming both key ids.
    @Test func aWrongMasterKeyStopsStartUpWithAClearMessage() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unity-key-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let right = MasterKey.generate(), wrong = MasterKey.generate()
        func values(_ key: MasterKey) -> [String: String] {
            ["UNITY_DATA_DIR": folder, "UNITY_MASTER_KEY": key.base64, "UNITY_LOG_LEVEL": "warning"]
        }
        let first = try await Application.make(.testing)
        try await configure(first, config: try AppConfig.parse(values(right)), serving: false, bcryptCost: 4)
        try await first.asyncShutdown()

        let second = try await Application.make(.testing)
        do {
            try await configure(second, config: try AppConfig.parse(values(wrong)), serving: false, bcryptCost: 4)
            Issue.record("start-up with the wrong key succeeded")
        } catch let error as ConfigError {
            #expect(error.setting == "UNITY_MASTER_KEY")
            #expect(error.reason.contains(right.id) && error.reason.contains(wrong.id))
        }
        try await second.asyncShutdown()

        let third = try await Application.make(.testing)
        try await configure(third, config: try AppConfig.parse(values(right)), serving: false, bcryptCost: 4)
        try await third.asyncShutdown()
    }

    /// Without UNITY_MASTER_KEY, the key file is created 0600 and reused on the next start.
    @Test func theKeyFileIsPrivateAndReused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unity-keyfile-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AppConfig.parse(["UNITY_DATA_DIR": folder, "UNITY_LOG_LEVEL": "warning"])
        for _ in 0..<2 {
            let app = try await Application.make(.testing)
            try await configure(app, config: config, serving: false, bcryptCost: 4)
            try await app.asyncShutdown()
        }
        let mode = try FileManager.default.attributesOfItem(atPath: folder + "/master.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// A lost key file is not silently replaced: start-up refuses and leaves no new key behind.
    @Test func aMissingKeyFileForAnExistingDatabaseIsRefused() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unity-lost-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AppConfig.parse(["UNITY_DATA_DIR": folder, "UNITY_LOG_LEVEL": "warning"])
        let first = try await Application.make(.testing)
        try await configure(first, config: config, serving: false, bcryptCost: 4)
        try await first.asyncShutdown()
        try FileManager.default.moveItem(atPath: folder + "/master.key", toPath: folder + "/master.key.lost")

        let second = try await Application.make(.testing)
        await #expect(throws: ConfigError.self) { try await configure(second, config: config, serving: false, bcryptCost: 4) }
        try await second.asyncShutdown()
        #expect(!FileManager.default.fileExists(atPath: folder + "/master.key"))
    }

    /// Rotation re-encrypts everything and survives an interruption: with only `master.key.next`
    /// written, Unity still starts and reads every secret; a second run finishes the job.
    @Test func rotationIsResumableAndKeepsEverySecretReadable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unity-rotate-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AppConfig.parse(["UNITY_DATA_DIR": folder, "UNITY_LOG_LEVEL": "warning"])
        let oldKey: MasterKey
        do {
            let app = try await Application.make(.testing)
            try await configure(app, config: config, serving: false, bcryptCost: 4)
            oldKey = app.unity.secrets.primary
            // Simulate an interrupted rotation: the next key is on disk, one secret re-encrypted.
            let next = MasterKey.generate()
            try MasterKeyStore.writeKeyFile(next, to: folder + "/master.key.next")
            let half = SecretBox(primary: next, others: [oldKey])
            let jwt = try #require(try await SystemSecret.find(TokenService.jwtSecretName, on: app.db))
            let column = SystemSecret.valueColumn, name = TokenService.jwtSecretName
            jwt.sealedValue = try column.seal(try column.open(jwt.sealedValue, row: name, in: half), row: name, in: half)
            try await jwt.save(on: app.db)
            try await app.asyncShutdown()
        }
        // Restart mid-rotation: both keys are loaded, so start-up (which opens every system secret) works.
        let app = try await Application.make(.testing)
        try await configure(app, config: config, serving: false, bcryptCost: 4)
        #expect(app.unity.secrets.keyIDs.count == 2)
        let rotated = SecretBox(primary: try MasterKey(base64: String(contentsOfFile: folder + "/master.key.next", encoding: .utf8)), others: [oldKey])
        let count = try await RotateMasterKeyCommand().reencrypt(from: app.unity.secrets, to: rotated, on: app.db)
        #expect(count == 1)  // the check value; the JWT key was already done
        let all = try await SystemSecret.query(on: app.db).all()
        #expect(all.allSatisfy { rotated.isSealedWithPrimary($0.sealedValue) })
        try await app.asyncShutdown()
    }

    /// Canary secrets stored through the API never appear in the database file, the logs or any
    /// response. The database is a real file here (kept under UNITY_TEST_ARTIFACTS when set, so the
    /// test script greps it again).
    @Test func canarySecretsNeverLeak() async throws {
        let artifacts = ProcessInfo.processInfo.environment["UNITY_TEST_ARTIFACTS"] ?? FileManager.default.temporaryDirectory.path
        let folder = artifacts + "/canary-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let canary = "UNITYCANARY-\(UUID().uuidString)"
        try await withUnityApp(settings: ["DATABASE_URL": "sqlite://\(folder)/unity.sqlite", "UNITY_LOG_LEVEL": "trace"]) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            var responses: [TestResponse] = []
            responses.append(try await client.send(.POST, "/api/v1/users", token: admin, json: ["username": "frank", "role": "viewer", "password": canary + "-pw"]))
            responses.append(try await client.send(.POST, "/api/v1/auth/login", json: ["username": "frank", "password": canary + "-wrong"]))
            responses.append(try await client.send(.POST, "/api/v1/auth/login", json: ["username": "frank", "password": canary + "-pw"]))
            let frank = try await client.login("frank", canary + "-pw")
            responses.append(try await client.send(.POST, "/api/v1/me/password", token: frank, json: ["current_password": canary + "-pw", "new_password": canary + "-new"]))
            responses.append(try await client.send(.POST, "/api/v1/me/password", token: frank, json: ["current_password": canary + "-bad", "new_password": canary]))
            responses.append(try await client.send(.POST, "/api/v1/auth/login", rawBody: "{\"username\": \"frank\", \"password\": \"\(canary)\""))
            responses.append(try await client.send(.POST, "/api/v1/auth/login", json: ["username": canary, "password": 7]))
            responses.append(try await client.send(.GET, "/api/v1/audit?per_page=200", token: admin))
            for response in responses {
                #expect(!response.body.contains(canary), "canary in a \(response.status.code) response")
                #expect(!response.headers.description.contains(canary))
            }
            // The JWT signing key, sealed: its plaintext is never in the file either.
            let sealed = try #require(try await SystemSecret.find(TokenService.jwtSecretName, on: app.db))
            let jwtKey = try SystemSecret.valueColumn.open(sealed.sealedValue, row: TokenService.jwtSecretName, in: app.unity.secrets)
            if let sql = app.db as? any SQLDatabase { try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
            let database = try #require(FileManager.default.contents(atPath: "\(folder)/unity.sqlite"))
            // Positive control: the search does find what is stored in clear (a username).
            #expect(database.range(of: Data("frank".utf8)) != nil)
            for file in ["unity.sqlite", "unity.sqlite-wal", "unity.sqlite-shm"] {
                guard let bytes = FileManager.default.contents(atPath: "\(folder)/\(file)") else { continue }
                #expect(bytes.range(of: Data(canary.utf8)) == nil, "canary in \(file)")
                #expect(bytes.range(of: Data(jwtKey.utf8)) == nil, "JWT key in \(file)")
            }
        }
    }
}
