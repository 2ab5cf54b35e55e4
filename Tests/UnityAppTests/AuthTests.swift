import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

@Suite struct AuthTests {
    @Test(arguments: TestDatabase.available)
    func loginRefreshRotatesAndReuseRevokesTheFamily(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let login = try await client.send(.POST, "/api/v1/auth/login", json: ["username": "admin", "password": TestClient.adminPassword])
            #expect(login.status == .ok)
            #expect(login.json["token_type"] as? String == "Bearer")
            #expect(login.json["expires_in"] as? Int == 900)
            let access = try #require(login.json["access_token"] as? String)
            let refresh = try #require(login.json["refresh_token"] as? String)

            let me = try await client.send(.GET, "/api/v1/me", token: access)
            #expect(me.json["username"] as? String == "admin")
            #expect(me.json["role"] as? String == "admin")

            let rotated = try await client.send(.POST, "/api/v1/auth/refresh", json: ["refresh_token": refresh])
            #expect(rotated.status == .ok)
            let newRefresh = try #require(rotated.json["refresh_token"] as? String)
            #expect(newRefresh != refresh)

            // The used token again: refused, and the token that replaced it dies with it.
            let reuse = try await client.send(.POST, "/api/v1/auth/refresh", json: ["refresh_token": refresh])
            #expect(reuse.status == .unauthorized)
            #expect(reuse.errorCode == "invalid_refresh_token")
            #expect(try await client.send(.POST, "/api/v1/auth/refresh", json: ["refresh_token": newRefresh]).status == .unauthorized)

            // Refresh tokens are stored only as hashes.
            let stored = try await RefreshToken.query(on: app.db).all().map(\.tokenHash)
            #expect(!stored.contains(refresh) && stored.contains(where: { $0.count == 64 }))
        }
    }

    @Test func logoutRevokesTheRefreshToken() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let login = try await client.send(.POST, "/api/v1/auth/login", json: ["username": "admin", "password": TestClient.adminPassword])
            let refresh = try #require(login.json["refresh_token"] as? String)
            #expect(try await client.send(.POST, "/api/v1/auth/logout", json: ["refresh_token": refresh]).status == .noContent)
            #expect(try await client.send(.POST, "/api/v1/auth/refresh", json: ["refresh_token": refresh]).status == .unauthorized)
        }
    }

    @Test func wrongPasswordUnknownUserAndForgedTokensAreRefused() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let wrong = try await client.send(.POST, "/api/v1/auth/login", json: ["username": "admin", "password": "not the password"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "invalid_credentials")
            let unknown = try await client.send(.POST, "/api/v1/auth/login", json: ["username": "nobody", "password": "whatever-long"])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.errorMessage == wrong.errorMessage)  // no username enumeration
            let forged = try await client.send(.GET, "/api/v1/me", token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")
            #expect(forged.status == .unauthorized)
            #expect(forged.errorCode == "invalid_token")
            #expect(try await client.send(.GET, "/api/v1/me", token: "unity_notARealKey").status == .unauthorized)
        }
    }

    @Test func repeatedFailuresAreThrottledWithRetryAfterAndAudited() async throws {
        try await withUnityApp(settings: ["UNITY_LOGIN_MAX_FAILURES": "3"]) { app in
            let client = TestClient(app)
            for _ in 0..<3 {
                #expect(try await client.send(.POST, "/api/v1/auth/login", json: ["username": "admin", "password": "wrong password!"]).status == .unauthorized)
            }
            // Now even the right password waits: the limit protects the account, not the guess.
            let throttled = try await client.send(.POST, "/api/v1/auth/login", json: ["username": "admin", "password": TestClient.adminPassword])
            #expect(throttled.status == .tooManyRequests)
            let retryAfter = try #require(throttled.headers.first(name: "Retry-After").flatMap(Int.init))
            #expect(retryAfter > 0 && retryAfter <= 900)
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "auth.login").all()
            #expect(events.filter { $0.outcome == "denied" }.count == 4)
            #expect(events.allSatisfy { $0.actorName == "admin" })
            #expect(events.contains { $0.statusCode == 429 && $0.details.contains("throttled") })
        }
    }

    @Test func disabledUsersLoseAccessAtOnce() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin)
            #expect(try await client.send(.GET, "/api/v1/me", token: viewer.token).status == .ok)
            #expect(try await client.send(.PATCH, "/api/v1/users/\(viewer.id)", token: admin, json: ["disabled": true]).status == .ok)
            #expect(try await client.send(.GET, "/api/v1/me", token: viewer.token).status == .unauthorized)
        }
    }

    @Test func changingYourPasswordChecksTheCurrentOneAndThePolicy() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let wrongCurrent = try await client.send(.POST, "/api/v1/me/password", token: admin,
                                                     json: ["current_password": "nope", "new_password": "a brand new passphrase"])
            #expect(wrongCurrent.status == .unprocessableEntity)
            #expect(wrongCurrent.errorField == "current_password")
            let tooShort = try await client.send(.POST, "/api/v1/me/password", token: admin,
                                                 json: ["current_password": TestClient.adminPassword, "new_password": "short"])
            #expect(tooShort.errorField == "new_password")
            let changed = try await client.send(.POST, "/api/v1/me/password", token: admin,
                                                json: ["current_password": TestClient.adminPassword, "new_password": "a brand new passphrase"])
            #expect(changed.status == .noContent)
            _ = try await client.login("admin", "a brand new passphrase")
        }
    }
}
