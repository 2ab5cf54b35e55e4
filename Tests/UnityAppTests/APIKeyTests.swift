import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

@Suite struct APIKeyTests {
    @Test(arguments: TestDatabase.available)
    func keysAreShownOnceStoredHashedAndRevocable(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/api-keys", token: admin, json: ["name": "grafana", "scopes": ["read"]])
            #expect(created.status == .created)
            let token = try #require(created.json["token"] as? String)
            #expect(token.hasPrefix("unity_") && token.count == 49)
            let keyID = try #require((created.json["key"] as? [String: Any])?["id"] as? String)

            let stored = try #require(try await APIKey.find(UUID(uuidString: keyID), on: app.db))
            #expect(stored.tokenHash != token && !stored.tokenHash.contains(token))
            let listed = try await client.send(.GET, "/api/v1/api-keys", token: admin)
            #expect(!listed.body.contains(token))
            #expect(listed.body.contains("grafana"))

            #expect(try await client.send(.GET, "/api/v1/me", token: token).status == .ok)
            let afterUse = try #require(try await APIKey.find(UUID(uuidString: keyID), on: app.db))
            #expect(afterUse.lastUsedAt != nil)

            #expect(try await client.send(.DELETE, "/api/v1/api-keys/\(keyID)", token: admin).status == .noContent)
            let revoked = try await client.send(.GET, "/api/v1/me", token: token)
            #expect(revoked.status == .unauthorized)
            #expect(revoked.errorCode == "invalid_api_key")
        }
    }

    @Test func expiredKeysStopWorkingAndPastExpiryIsRejected() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let past = try await client.send(.POST, "/api/v1/api-keys", token: admin,
                                             json: ["name": "old", "scopes": ["read"], "expires_at": "2020-01-01T00:00:00Z"])
            #expect(past.status == .unprocessableEntity)
            #expect(past.errorField == "expires_at")
            let token = try await client.apiKey(scopes: ["read"], token: admin)
            try await APIKey.query(on: app.db).set(\.$expiresAt, to: Date().addingTimeInterval(-1)).update()
            #expect(try await client.send(.GET, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func listsPageNewestFirstWithTotals(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            for name in ["first", "second", "third"] {
                _ = try await client.send(.POST, "/api/v1/api-keys", token: admin, json: ["name": name, "scopes": ["read"]])
                try await Task.sleep(for: .milliseconds(1100))  // distinct created_at seconds on every database
            }
            func page(_ number: Int) async throws -> (names: [String], total: Int?) {
                let response = try await client.send(.GET, "/api/v1/api-keys?per_page=2&page=\(number)", token: admin)
                let items = response.json["items"] as? [[String: Any]] ?? []
                return (items.compactMap { $0["name"] as? String }, response.json["total"] as? Int)
            }
            #expect(try await page(1) == (["third", "second"], 3))
            #expect(try await page(2) == (["first"], 3))
            #expect(try await page(3) == ([], 3))
        }
    }

    @Test func usersSeeOnlyTheirOwnKeysAndCannotRevokeOthers() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin)
            _ = try await client.apiKey(scopes: ["admin"], token: admin)
            let adminKeyID = try #require(try await APIKey.query(on: app.db).first()?.id)
            let viewersView = try await client.send(.GET, "/api/v1/api-keys", token: viewer.token)
            #expect(viewersView.json["total"] as? Int == 0)
            #expect(try await client.send(.DELETE, "/api/v1/api-keys/\(adminKeyID)", token: viewer.token).status == .notFound)
        }
    }
}

@Suite struct PrincipalCacheTests {
    @Test func entriesExpireAfterTheirTTL() {
        let cache = PrincipalCache(ttl: 5, capacity: 2)
        let principal = Principal(userID: UUID(), username: "a", userRole: .viewer, credential: .accessToken)
        let now = Date()
        cache.store(principal, for: "k", now: now)
        #expect(cache.principal(for: "k", now: now.addingTimeInterval(4))?.username == "a")
        #expect(cache.principal(for: "k", now: now.addingTimeInterval(6)) == nil)
        cache.store(principal, for: "a", now: now); cache.store(principal, for: "b", now: now); cache.store(principal, for: "c", now: now)
        #expect(cache.principal(for: "a", now: now) == nil)  // capacity reached: emptied, never unbounded
        #expect(cache.principal(for: "c", now: now) != nil)
    }
}
