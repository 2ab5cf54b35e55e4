import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Users' passwords and deletion (admin), changing your own password (everyone), and SSH key
/// detail and deletion, through the real app.
@Suite struct WebAdminPagesTests {
    typealias Browser = WebPagesTests.Browser

    static func userID(_ client: TestClient, _ admin: String, _ name: String) async throws -> String {
        let users = try await client.send(.GET, "/api/v1/users?per_page=200", token: admin).json["items"] as? [[String: Any]] ?? []
        return try #require(users.first { $0["username"] as? String == name }?["id"] as? String).lowercased()
    }

    @Test func anAdminSetsAPasswordAndDeletesAUser() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            let id = try await Self.userID(client, admin, "operator-user")
            for path in ["/admin/users/\(id)/password", "/admin/users/\(id)/delete"] {
                #expect(try await operatorBrowser.get(path).status == .forbidden, "\(path)")
                #expect(try await operatorBrowser.post(path, [("password", "whatever-long-1234")]).status == .forbidden, "\(path)")
            }
            let users = try await adminBrowser.get("/admin/users")
            #expect(users.body.contains("href=\"/admin/users/\(id)/password\"") && users.body.contains("href=\"/admin/users/\(id)/delete\""))
            let form = try await adminBrowser.get("/admin/users/\(id)/password")
            #expect(form.status == .ok && form.body.contains("action=\"/admin/users/\(id)/password\"") && form.body.contains("name=\"password_confirm\""))

            let mismatch = try await adminBrowser.post("/admin/users/\(id)/password", [("password", "new-password-UNITYCANARY"), ("password_confirm", "other")])
            #expect(mismatch.status == .unprocessableEntity && mismatch.body.contains("id=\"f-password_confirm-error\">does not match"))
            #expect(!mismatch.body.contains("UNITYCANARY"))
            let short = try await adminBrowser.post("/admin/users/\(id)/password", [("password", "short"), ("password_confirm", "short")])
            #expect(short.status == .unprocessableEntity && short.body.contains("id=\"f-password-error\""))
            let set = try await adminBrowser.post("/admin/users/\(id)/password", [("password", "a brand new passphrase"), ("password_confirm", "a brand new passphrase")])
            #expect(set.status == .seeOther && WebCredentialPagesTests.location(set) == "/admin/users")
            _ = try await client.login("operator-user", "a brand new passphrase")

            let confirm = try await adminBrowser.get("/admin/users/\(id)/delete")
            #expect(confirm.status == .ok && confirm.body.contains("Delete operator-user?") && confirm.body.contains("action=\"/admin/users/\(id)/delete\""))
            let deleted = try await adminBrowser.post("/admin/users/\(id)/delete", [])
            #expect(try await adminBrowser.get("/admin/users", extraCookie: WebPagesTests.flash(deleted)).body.contains("Deleted operator-user."))
            #expect(try await client.send(.GET, "/api/v1/users/\(id)", token: admin).status == .notFound)

            // The last admin cannot be deleted: the refusal comes back as a notice.
            let me = try await Self.userID(client, admin, "admin")
            let refused = try await adminBrowser.post("/admin/users/\(me)/delete", [])
            #expect(refused.status == .seeOther)
            #expect(try await adminBrowser.get("/admin/users", extraCookie: WebPagesTests.flash(refused)).body.contains("notice-error"))
            #expect(try await client.send(.GET, "/api/v1/users/\(me)", token: admin).status == .ok)
        }
    }

    @Test func everyoneChangesTheirOwnPassword() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            #expect(try await viewer.get("/").body.contains("href=\"/account/password\""))
            let form = try await viewer.get("/account/password")
            #expect(form.status == .ok && form.body.contains("action=\"/account/password\"") && form.body.contains("name=\"current_password\""))
            let wrong = try await viewer.post("/account/password", [("current_password", "not-it-UNITYCANARY"), ("new_password", "a new viewer passphrase"),
                                                                    ("new_password_confirm", "a new viewer passphrase")])
            #expect(wrong.status == .unprocessableEntity && wrong.body.contains("id=\"f-current_password-error\">is not your current password"))
            #expect(!wrong.body.contains("UNITYCANARY") && !wrong.body.contains("a new viewer passphrase"))
            let mismatch = try await viewer.post("/account/password", [("current_password", "viewer-password-1234"), ("new_password", "a new viewer passphrase"),
                                                                       ("new_password_confirm", "different")])
            #expect(mismatch.status == .unprocessableEntity && mismatch.body.contains("id=\"f-new_password_confirm-error\""))
            let done = try await viewer.post("/account/password", [("current_password", "viewer-password-1234"), ("new_password", "a new viewer passphrase"),
                                                                   ("new_password_confirm", "a new viewer passphrase")])
            #expect(done.status == .seeOther)
            #expect(try await viewer.get("/account/password", extraCookie: WebPagesTests.flash(done)).body.contains("Your password was changed."))
            _ = try await client.login("viewer-user", "a new viewer passphrase")
        }
    }

    @Test func anSSHKeyHasADetailPageAndIsDeletedOnlyWhenUnused() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "laptop", "type": "ed25519"]).json
            let id = try #require(created["id"] as? String).lowercased()
            let fingerprint = try #require(created["fingerprint"] as? String)
            let server = try #require(try await client.send(.POST, "/api/v1/servers", token: admin,
                                                            json: ["name": "nas", "address": "10.0.0.5", "username": "unity", "ssh_key_id": id]).json["id"] as? String)
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            let detail = try await viewer.get("/credentials/ssh-keys/\(id)")
            #expect(detail.status == .ok && detail.body.contains(fingerprint) && detail.body.contains("id=\"key-last-used\""))
            #expect(detail.body.contains("href=\"/servers/\(server.lowercased())\">nas</a>") && !detail.body.contains("/delete\"") && !detail.body.contains("PRIVATE KEY"))
            #expect(try await viewer.get("/credentials").body.contains("href=\"/credentials/ssh-keys/\(id)\""))
            #expect(try await viewer.get("/credentials/ssh-keys/\(id)/delete").status == .forbidden)
            #expect(try await viewer.post("/credentials/ssh-keys/\(id)/delete", []).status == .forbidden)

            let confirm = try await operatorBrowser.get("/credentials/ssh-keys/\(id)/delete")
            #expect(confirm.status == .ok && confirm.body.contains("action=\"/credentials/ssh-keys/\(id)/delete\""))
            let inUse = try await operatorBrowser.post("/credentials/ssh-keys/\(id)/delete", [])
            #expect(inUse.status == .seeOther && WebCredentialPagesTests.location(inUse) == "/credentials/ssh-keys/\(id)")
            #expect(try await operatorBrowser.get("/credentials/ssh-keys/\(id)", extraCookie: WebPagesTests.flash(inUse)).body.contains("detach it first"))

            _ = try await client.send(.DELETE, "/api/v1/servers/\(server)", token: admin)
            let deleted = try await operatorBrowser.post("/credentials/ssh-keys/\(id)/delete", [])
            #expect(WebCredentialPagesTests.location(deleted) == "/credentials")
            #expect(try await operatorBrowser.get("/credentials", extraCookie: WebPagesTests.flash(deleted)).body.contains("Deleted the key laptop."))
            #expect(try await client.send(.GET, "/api/v1/ssh-keys/\(id)", token: admin).status == .notFound)
        }
    }
}
