import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The ACME pages through the real app and a real Pebble: an admin registers an account, an
/// operator issues a certificate from the form and follows the attempt on the order's page until
/// it ends, renews it; viewers see everything and can change nothing; secrets typed into the forms
/// are never sent back.
@Suite("ACME pages", .enabled(if: PebbleServer.shouldRun), .timeLimit(.minutes(3)))
struct WebACMEPagesTests {
    typealias Browser = WebPagesTests.Browser

    /// The one-time notice a POST left for the next page, decoded.
    static func notice(_ response: TestResponse) -> String {
        let value = WebPagesTests.flash(response)?.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
        return Data(base64Encoded: value.removingPercentEncoding ?? value).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Reloads the order page (as the browser's Refresh header would) until the attempt has ended.
    static func settled(_ browser: Browser, _ path: String) async throws -> TestResponse {
        for _ in 0..<300 {
            let page = try await browser.get(path)
            if page.headers.first(name: "Refresh") == nil { return page }
            #expect(page.body.contains("id=\"attempt-phase\""), "a running attempt shows its phase")
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("\(path) kept refreshing")
        return try await browser.get(path)
    }

    @Test func accountsAndCertificatesFromTheForms() async throws {
        try await withUnityApp { app in
            try await PebbleServer.with { pebble in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
                let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
                let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)

                // A custom directory without its URL is named at the field; the EAB secret is not echoed.
                let bad = try await adminBrowser.post("/credentials/acme/accounts", [("name", "pebble"), ("preset", "custom"),
                                                                                      ("eab_kid", "kid"), ("eab_hmac_key", "UNITYCANARY-hmac")])
                #expect(bad.status == .unprocessableEntity, "\(bad.status)")
                #expect(bad.body.contains("f-directory_url-error") && !bad.body.contains("UNITYCANARY"), "\(bad.body)")
                #expect(bad.body.contains("value=\"kid\""))
                let created = try await adminBrowser.post("/credentials/acme/accounts", [
                    ("name", "pebble"), ("preset", "custom"), ("directory_url", pebble.directoryURL), ("email", "ops@homelab.test"),
                    ("trusted_roots_pem", pebble.listenerCertPEM), ("terms_of_service_agreed", "on")])
                #expect(created.status == .seeOther, "\(created.body)")
                #expect(try await operatorBrowser.post("/credentials/acme/accounts", [("name", "x")]).status == .forbidden)

                let list = try await operatorBrowser.get("/credentials/acme")
                #expect(list.body.contains(pebble.directoryURL) && list.body.contains("action=\"/credentials/acme\""))
                let accountID = try #require(try await client.send(.GET, "/api/v1/acme/accounts", token: admin).json["items"]
                    .flatMap { ($0 as? [[String: Any]])?.first?["id"] as? String })

                // A malformed provider line is named at the field; the provider secrets are not echoed.
                let badOrder = try await operatorBrowser.post("/credentials/acme", [
                    ("account_id", accountID), ("names", "dns.homelab.test"), ("challenge", "dns-01"), ("dns_provider.type", "exec"),
                    ("dns_settings", "no equals sign"), ("dns_secrets", "TOKEN=UNITYCANARY-dns")])
                #expect(badOrder.status == .unprocessableEntity && badOrder.body.contains("f-dns_settings-error"), "\(badOrder.status)")
                #expect(!badOrder.body.contains("UNITYCANARY"))

                // HTTP-01 through a server's webroot is offered too; an unknown server is named at its field.
                let noServer = try await operatorBrowser.post("/credentials/acme", [
                    ("account_id", accountID), ("names", "www.homelab.test"), ("challenge", "http-01"),
                    ("webroot.server_id", UUID().uuidString), ("webroot.path", "/var/www/html")])
                #expect(noServer.status == .unprocessableEntity && noServer.body.contains("f-webroot.server_id-error"), "\(noServer.status)")
                #expect(noServer.body.contains("value=\"/var/www/html\""))
                let issued = try await operatorBrowser.post("/credentials/acme", [
                    ("account_id", accountID), ("names", "web.homelab.test"), ("challenge", "http-01"),
                    ("http_host", "127.0.0.1"), ("http_port", String(pebble.httpChallengePort)), ("key_type", "ec-p256")])
                #expect(issued.status == .seeOther, "\(issued.body)")
                let orderPath = WebCredentialPagesTests.location(issued)
                #expect(orderPath.hasPrefix("/credentials/acme/"))
                let done = try await Self.settled(operatorBrowser, orderPath)
                #expect(done.body.contains("id=\"attempt-outcome\"><span class=\"badge badge-ok\">succeeded"), "\(done.body)")
                #expect(done.body.contains("in the inventory") && done.body.contains("Renew now"))

                let renew = try await operatorBrowser.post("\(orderPath)/renew", [])
                #expect(renew.status == .seeOther && Self.notice(renew).contains("Renewing"))
                let renewed = try await Self.settled(operatorBrowser, orderPath)
                #expect(renewed.body.components(separatedBy: "badge-ok\">succeeded").count - 1 == 3, "attempt badge + two rows")

                // Viewers see the pages without any control.
                for path in ["/credentials/acme", orderPath] {
                    let page = try await viewer.get(path)
                    #expect(page.status == .ok && !page.body.contains("method=\"post\" action=\"/credentials/acme"), "\(path)")
                }
                #expect(try await viewer.post("\(orderPath)/renew", []).status == .forbidden)
                #expect(try await viewer.post("/credentials/acme/accounts/\(accountID)/delete", []).status == .forbidden)

                // The account is in use: removing it says so instead of failing.
                let inUse = try await adminBrowser.post("/credentials/acme/accounts/\(accountID)/delete", [])
                #expect(Self.notice(inUse).hasPrefix("!"), "a refusal comes back as an error notice: \(Self.notice(inUse))")
                let stop = try await operatorBrowser.post("\(orderPath)/delete", [])
                #expect(stop.status == .seeOther && Self.notice(stop).contains("Stopped renewing"))
            }
        }
    }

    @Test func credentialArchivePageShowsTheChainAndDownloadsADay() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let browser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            _ = try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "type": "ed25519"])
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "ssh_keys.create").first())
            event.occurredAt = Date().addingTimeInterval(-86_400)
            try await event.save(on: app.db)
            #expect(try await browser.get("/admin/audit/archives").body.contains("Nothing archived yet"))
            _ = try await client.send(.POST, "/api/v1/tasks/credential-audit-archive/run", token: admin)
            let page = try await browser.get("/admin/audit/archives")
            #expect(page.body.contains("chain intact"), "\(page.body)")
            let day = CredentialAuditArchive.format(Date().addingTimeInterval(-86_400))
            #expect(page.body.contains("href=\"/admin/audit/archives/\(day)\""))
            let download = try await browser.get("/admin/audit/archives/\(day)")
            #expect(download.status == .ok && download.body.contains("\"action\":\"ssh_keys.create\""), "\(download.body)")
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            #expect(try await viewer.get("/admin/audit/archives").status == .forbidden)
        }
    }
}
