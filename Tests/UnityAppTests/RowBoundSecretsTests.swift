import Foundation
import SQLKit
import Testing
import UnityCore
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Issue 14 §3: a sealed value is bound to its table, column and row. Copying one SSH key's sealed
/// private key into another key's row (what someone with write access to the database, or a bad
/// restore script, could do) no longer hands out the first key under the second's name; values from
/// before row binding still open, and `rotate-master-key` re-seals them bound to their row.
@Suite("row-bound secrets", .timeLimit(.minutes(2)))
struct RowBoundSecretsTests {
    @Test("a sealed value copied into another row does not open; v1 values open and rotation binds them", arguments: TestDatabase.available)
    func swappedValuesDoNotOpen(database: TestDatabase) async throws {
        let unity = try RestartableUnity(database)
        defer { unity.cleanUp() }
        try await unity.run { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            func key(_ name: String) async throws -> String {
                try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": name, "type": "ed25519"]).json["id"] as? String)
            }
            let first = try await key("first"), second = try await key("second")
            let sql = try #require(app.db as? any SQLDatabase)
            func sealed(_ id: String) async throws -> String {
                let uuid = try #require(UUID(uuidString: id))
                let row = try await sql.select().column("sealed_private_key").from(SSHKeyRecord.schema).where("id", .equal, SQLBind(uuid)).first()
                return try #require(try row?.decode(column: "sealed_private_key", as: String.self))
            }
            func store(_ value: String, in id: String) async throws {
                let uuid = try #require(UUID(uuidString: id))
                try await sql.update(SSHKeyRecord.schema).set("sealed_private_key", to: SQLBind(value)).where("id", .equal, SQLBind(uuid)).run()
            }
            let firstValue = try await sealed(first)
            #expect(firstValue.hasPrefix("unity:v2:"), "new values are row-bound: \(firstValue.prefix(12))")

            try await store(firstValue, in: second)
            let swapped = try await client.send(.POST, "/api/v1/ssh-keys/\(second)/reveal", token: admin)
            #expect(swapped.status == .internalServerError && swapped.errorCode == "secret_unreadable", "\(swapped.status) \(swapped.body)")
            #expect(!swapped.body.contains("PRIVATE KEY"))
            #expect(try await client.send(.POST, "/api/v1/ssh-keys/\(first)/reveal", token: admin).status == .ok)

            // A value sealed before row binding (purpose only) still opens…
            let firstID = try #require(UUID(uuidString: first))
            let plaintext = try SSHKeyRecord.privateKeyColumn.open(firstValue, id: firstID, in: app.unity.secrets)
            try await store(try app.unity.secrets.seal(plaintext, purpose: SSHKeyRecord.privateKeyPurpose), in: second)
            #expect(try await client.send(.POST, "/api/v1/ssh-keys/\(second)/reveal", token: admin).status == .ok)
            #expect(try await sealed(second).hasPrefix("unity:v1:"))
        }
        // …and the rotation re-seals it bound to its row.
        try await unity.run { app in try await RestartableUnity.rotateMasterKey(app) }
        try await unity.run { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let values = try await sql.select().column("sealed_private_key").from(SSHKeyRecord.schema).all()
                .map { try $0.decode(column: "sealed_private_key", as: String.self) }
            #expect(values.count == 2 && values.allSatisfy { app.unity.secrets.isCurrent($0) }, "\(values.map { $0.prefix(12) })")
        }
    }
}
