import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

@Suite struct UsersTests {
    @Test(arguments: TestDatabase.available)
    func adminsManageUsersAndTheLastAdminIsProtected(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let adminID = try #require((try await client.send(.GET, "/api/v1/me", token: admin)).json["id"] as? String)

            // Generated password: returned once, works, and the stored hash is bcrypt.
            let created = try await client.send(.POST, "/api/v1/users", token: admin, json: ["username": "bob", "role": "operator"])
            #expect(created.status == .created)
            let generated = try #require(created.json["generated_password"] as? String)
            _ = try await client.login("bob", generated)
            let bob = try #require(try await User.query(on: app.db).filter(\.$username == "bob").first())
            #expect(bob.passwordHash.hasPrefix("$2"))
            #expect(try await client.send(.GET, "/api/v1/users/\(try bob.requireID())", token: admin).json["generated_password"] == nil)

            #expect(try await client.send(.POST, "/api/v1/users", token: admin, json: ["username": "bob", "role": "viewer"]).status == .conflict)
            let badRole = try await client.send(.POST, "/api/v1/users", token: admin, json: ["username": "carol", "role": "root"])
            #expect(badRole.status == .unprocessableEntity)

            // The only admin can be neither demoted, disabled nor deleted.
            #expect(try await client.send(.PATCH, "/api/v1/users/\(adminID)", token: admin, json: ["role": "viewer"]).status == .conflict)
            #expect(try await client.send(.PATCH, "/api/v1/users/\(adminID)", token: admin, json: ["disabled": true]).status == .conflict)
            #expect(try await client.send(.DELETE, "/api/v1/users/\(adminID)", token: admin).status == .conflict)
            // With a second admin it can.
            #expect(try await client.send(.PATCH, "/api/v1/users/\(try bob.requireID())", token: admin, json: ["role": "admin"]).status == .ok)
            #expect(try await client.send(.PATCH, "/api/v1/users/\(adminID)", token: admin, json: ["role": "operator"]).status == .ok)

            let list = try await client.send(.GET, "/api/v1/users?per_page=1", token: generated.isEmpty ? admin : try await client.login("bob", generated))
            #expect(list.json["total"] as? Int == 2)
            #expect((list.json["items"] as? [Any])?.count == 1)
        }
    }

    @Test func anAdminMayLowerTheMinimumPasswordLength() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let short = ["username": "dave", "role": "viewer", "password": "ten chars!"]
            let refused = try await client.send(.POST, "/api/v1/users", token: admin, json: short)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.errorField == "password")
            #expect(try await client.send(.PATCH, "/api/v1/settings", token: admin, json: ["min_password_length": 8]).json["min_password_length"] as? Int == 8)
            #expect(try await client.send(.POST, "/api/v1/users", token: admin, json: short).status == .created)
            #expect(try await client.send(.PATCH, "/api/v1/settings", token: admin, json: ["min_password_length": 3]).status == .unprocessableEntity)
        }
    }
}
