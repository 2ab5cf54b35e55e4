import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The certificate, server-login, key-distribution, database, maintenance and bulk-alert pages
/// through the real app with browser sessions of each role.
@Suite struct WebCredentialPagesTests {
    typealias Browser = WebPagesTests.Browser

    static func signIn(_ client: TestClient, role: String, admin: String) async throws -> Browser {
        let password = "\(role)-password-1234"
        _ = try await client.send(.POST, "/api/v1/users", token: admin, json: ["username": "\(role)-user", "role": role, "password": password])
        return try await Browser.signIn(client, "\(role)-user", password)
    }

    static func location(_ response: TestResponse) -> String { response.headers.first(name: .location) ?? "" }

    @Test func everyNewPageAnswersEachRoleAsItsRuleSays() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let server = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: ["name": "nas", "address": "10.0.0.5", "username": "unity"]).json["id"] as? String)
            let cert = try #require(try await client.send(.POST, "/api/v1/certificates/issue", token: admin, json: ["dns_names": ["nas.home.arpa"]]).json["id"] as? String)
            let login = try #require(try await client.send(.POST, "/api/v1/credentials", token: admin,
                                                           json: ["name": "nas admin", "username": "unity", "password": "pw-UNITYCANARY"]).json["id"] as? String)
            let viewer = try await Self.signIn(client, role: "viewer", admin: admin)
            let operatorBrowser = try await Self.signIn(client, role: "operator", admin: admin)
            let everyone = ["/certificates", "/certificates?state=expiring", "/certificates/\(cert)", "/credentials/logins", "/credentials/distributions",
                            "/servers/\(server)", "/alerts", "/credentials"]
            let operatorsOnly = ["/certificates/\(cert)/reveal-key", "/credentials/logins/\(login)", "/credentials/logins/\(login)/reveal"]
            for path in everyone + operatorsOnly {
                let page = try await operatorBrowser.get(path)
                #expect(page.status == .ok, "operator \(path): \(page.status)")
                #expect(!page.body.contains("UNITYCANARY") && !page.body.contains("PRIVATE KEY"), "\(path) shows a secret")
            }
            for path in everyone {
                let page = try await viewer.get(path)
                #expect(page.status == .ok, "viewer \(path): \(page.status)")
                #expect(!page.body.contains("method=\"post\" action=\"/certificates") && !page.body.contains("action=\"/credentials/distributions\""), "\(path)")
                #expect(!page.body.contains("/databases\"") && !page.body.contains("Discover certificates") && !page.body.contains("/alerts/bulk"), "\(path)")
            }
            for path in operatorsOnly { #expect(try await viewer.get(path).status == .forbidden, "\(path)") }
            #expect(try await viewer.post("/certificates/\(cert)/reveal-key", []).status == .forbidden)
            #expect(try await operatorBrowser.post("/certificates/ca", []).status == .forbidden)
            let certificates = try await viewer.get("/certificates")
            #expect(certificates.body.contains("badge-ok\">valid") && certificates.body.contains("/api/v1/ca/root.pem"))
        }
    }

    @Test func issuingThroughTheFormValidatesThenListsTheCertificate() async throws {
        try await withUnityApp { app in
            let browser = try await Browser.signIn(TestClient(app), "admin", TestClient.adminPassword)
            let bad = try await browser.post("/certificates/issue", [("dns_names", "<b>nas</b>.home.arpa"), ("validity_days", "99999")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("id=\"f-validity_days-error\">expected 1 to 3650"))
            #expect(bad.body.contains("value=\"&lt;b&gt;nas&lt;/b&gt;.home.arpa\""))
            let good = try await browser.post("/certificates/issue", [("dns_names", "nas.home.arpa, files.home.arpa"), ("validity_days", "90"), ("issuer", "internal_ca")])
            #expect(good.status == .seeOther && Self.location(good).hasPrefix("/certificates/"))
            let detail = try await browser.get(Self.location(good), extraCookie: WebPagesTests.flash(good))
            #expect(detail.body.contains("Issued nas.home.arpa") && detail.body.contains("files.home.arpa") && detail.body.contains("Deploy to a server"))
            let list = try await browser.get("/certificates")
            #expect(list.body.contains(">nas.home.arpa</a>") && list.body.contains("Unity Internal CA") && list.body.contains(" d left"))
            #expect(try await browser.get("/certificates?state=expired").body.contains("No certificates match."))
            let noServer = try await browser.post(Self.location(good) + "/deploy", [("certificate_path", "/etc/nginx/tls/nas.crt")])
            #expect(noServer.status == .unprocessableEntity && noServer.body.contains("id=\"f-server_id-error\">choose a server"))
            #expect(noServer.body.contains("value=\"/etc/nginx/tls/nas.crt\""))
            let reveal = try await browser.post(Self.location(good) + "/reveal-key", [])
            #expect(reveal.status == .ok && reveal.body.contains("PRIVATE KEY") && reveal.headers.first(name: .cacheControl) == "no-store")
        }
    }

    @Test func importingACertificateNeverEchoesTheKey() async throws {
        try await withUnityApp { app in
            let browser = try await Browser.signIn(TestClient(app), "admin", TestClient.adminPassword)
            let bad = try await browser.post("/certificates", [("name", "nas"), ("certificate_pem", "garbage"), ("private_key_pem", "-----BEGIN PRIVATE KEY-----UNITYCANARY")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("f-certificate_pem-error") && bad.body.contains("value=\"nas\"") && bad.body.contains(">garbage</textarea>"))
            #expect(!bad.body.contains("UNITYCANARY"))
        }
    }

    @Test func serverLoginsKeepPasswordsWriteOnly() async throws {
        try await withUnityApp { app in
            let browser = try await Browser.signIn(TestClient(app), "admin", TestClient.adminPassword)
            let bad = try await browser.post("/credentials/logins", [("name", "nas admin"), ("password", "pw-UNITYCANARY")])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("f-username-error") && bad.body.contains("value=\"nas admin\""))
            #expect(!bad.body.contains("UNITYCANARY"))
            // Revealed below, so not a canary (the suite greps every captured response for canaries).
            let good = try await browser.post("/credentials/logins", [("name", "nas admin"), ("username", "unity"), ("password", "pw-kept-secret")])
            #expect(good.status == .seeOther)
            let list = try await browser.get("/credentials/logins")
            #expect(list.body.contains("nas admin") && !list.body.contains("pw-kept-secret"))
            let id = try #require(list.body.range(of: "href=\"/credentials/logins/").map { String(list.body[$0.upperBound...].prefix(36)) })
            // A blank password on edit keeps the stored one.
            let saved = try await browser.post("/credentials/logins/\(id)", [("name", "nas root"), ("username", "root"), ("password", ""), ("notes", "edited")])
            #expect(saved.status == .seeOther)
            let edit = try await browser.get("/credentials/logins/\(id)")
            #expect(edit.body.contains("value=\"nas root\"") && edit.body.contains("Set; leave blank to keep it") && !edit.body.contains("pw-kept-secret"))
            let revealed = try await browser.post("/credentials/logins/\(id)/reveal", [])
            #expect(revealed.status == .ok && revealed.body.contains("value=\"pw-kept-secret\""))
            #expect(try await browser.post("/credentials/logins/\(id)/delete", []).status == .seeOther)
            #expect(try await browser.get("/credentials/logins").body.contains("No server logins yet."))
        }
    }

    @Test func distributionFormNamesWhatIsMissing() async throws {
        try await withUnityApp { app in
            let browser = try await Browser.signIn(TestClient(app), "admin", TestClient.adminPassword)
            let bad = try await browser.post("/credentials/distributions", [("operation", "rotate"), ("authorized_keys_path", "/root/.ssh/authorized_keys")])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("id=\"f-key_id-error\">choose a key"))
            #expect(bad.body.contains("<option value=\"rotate\" selected>") && bad.body.contains("value=\"/root/.ssh/authorized_keys\""))
        }
    }

    @Test func databasesMaintenanceAndBulkActionsFromThePages() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let server = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: ["name": "nas", "address": "10.0.0.5", "username": "unity"]).json["id"] as? String)
            let browser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            let bad = try await browser.post("/servers/\(server)/databases", [("engine", "postgresql"), ("port", "99999"), ("host", "127.0.0.1")])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("id=\"f-port-error\">1 to 65535") && bad.body.contains("value=\"127.0.0.1\""))
            #expect(try await browser.post("/servers/\(server)/databases", [("engine", "postgresql"), ("port", "5432"), ("username", "monitor")]).status == .seeOther)
            let detail = try await browser.get("/servers/\(server)")
            #expect(detail.body.contains("not probed yet") && detail.body.contains("Discover certificates"))
            let database = try #require(detail.body.range(of: "/databases/").map { String(detail.body[$0.upperBound...].prefix(36)) })
            #expect(try await browser.post("/servers/\(server)/databases/\(database)/delete", []).status == .seeOther)
            #expect(try await browser.get("/servers/\(server)").body.contains("No databases probed"))

            // A certificate 5 days from expiry fires an alert to act on in bulk.
            _ = try await browser.post("/certificates/issue", [("dns_names", "soon.home.arpa"), ("validity_days", "5")])
            let alerts = try await client.send(.GET, "/api/v1/alerts?status=firing", token: admin)
            let ids = (alerts.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(!ids.isEmpty)
            let page = try await browser.get("/alerts")
            #expect(ids.allSatisfy { page.body.contains("form=\"bulk-alerts\" name=\"ids\" value=\"\($0.lowercased())\"") })
            let done = try await browser.post("/alerts/bulk", [("action", "acknowledge"), ("note", "bulk")] + ids.map { ("ids", $0) })
            #expect(done.status == .seeOther)
            #expect(try await client.send(.GET, "/api/v1/alerts?status=firing", token: admin).json["total"] as? Int == 0)
            let none = try await browser.post("/alerts/bulk", [("action", "resolve")])
            #expect(none.status == .seeOther && WebPagesTests.flash(none) != nil)

            #expect(try await browser.post("/servers/\(server)/maintenance", [("on", "true")]).status == .seeOther)
            #expect(try await browser.get("/alerts").body.contains("On for nas."))
            _ = try await browser.post("/alerts/maintenance", [("global", "on")])
            #expect(try await browser.get("/alerts").body.contains("On for everything"))
        }
    }
}
