import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// A changed password, a password set by an admin and a disabled account end what was signed in
/// before: other browser sessions and access tokens issued earlier. The session that made the
/// change stays signed in.
@Suite struct CredentialChangeTests {
    typealias Browser = WebPagesTests.Browser

    @Test(arguments: TestDatabase.available)
    func changingYourOwnPasswordSignsOutEverywhereElse(_ database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let here = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let elsewhere = try await Browser.signIn(client, "viewer-user", "viewer-password-1234")
            let token = try await client.login("viewer-user", "viewer-password-1234")
            #expect(try await client.send(.GET, "/api/v1/me", token: token).status == .ok)

            let done = try await here.post("/account/password", [("current_password", "viewer-password-1234"), ("new_password", "a new viewer passphrase"),
                                                                 ("new_password_confirm", "a new viewer passphrase")])
            #expect(done.status == .seeOther)
            #expect(try await here.get("/").status == .ok, "the session that changed the password stays signed in")
            let other = try await elsewhere.get("/servers")
            #expect(other.status == .seeOther && other.headers.first(name: .location)?.hasPrefix("/login") == true, "\(other.status)")
            #expect(try await client.send(.GET, "/api/v1/me", headers: ["Cookie": elsewhere.cookie]).status == .unauthorized)
            let old = try await client.send(.GET, "/api/v1/me", token: token)
            #expect(old.status == .unauthorized && old.errorCode == "invalid_token", "\(old.status) \(old.body)")
            // A token issued after the change works.
            let fresh = try await client.login("viewer-user", "a new viewer passphrase")
            #expect(try await client.send(.GET, "/api/v1/me", token: fresh).status == .ok)
        }
    }

    @Test func anAdminSettingAPasswordOrDisablingEndsTheUsersTokens() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let (id, token) = try await client.user(.operator, adminToken: admin)
            let browser = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            #expect(try await client.send(.GET, "/api/v1/me", token: token).status == .ok)
            #expect(try await client.send(.POST, "/api/v1/users/\(id)/password", token: admin, json: ["password": "set by the admin 1234"]).status == .noContent)
            #expect(try await client.send(.GET, "/api/v1/me", token: token).status == .unauthorized)

            let viewerID = try #require(try await client.send(.GET, "/api/v1/me", headers: ["Cookie": browser.cookie]).json["id"] as? String)
            let viewerToken = try await client.login("viewer-user", "viewer-password-1234")
            #expect(try await client.send(.PATCH, "/api/v1/users/\(viewerID)", token: admin, json: ["disabled": true]).status == .ok)
            #expect(try await client.send(.PATCH, "/api/v1/users/\(viewerID)", token: admin, json: ["disabled": false]).status == .ok)
            // Enabled again, the account must sign in anew: nothing issued before the disabling works.
            #expect(try await client.send(.GET, "/api/v1/me", token: viewerToken).status == .unauthorized)
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try await client.send(.GET, "/api/v1/me", token: try await client.login("viewer-user", "viewer-password-1234")).status == .ok)
        }
    }
}
