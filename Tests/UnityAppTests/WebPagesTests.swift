import Foundation
import Testing
import UnityCore
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The pages through the real app and a browser-like session: forms, redirects, errors.
@Suite struct WebPagesTests {
    /// A browser session: the cookie and the CSRF token of the pages.
    struct Browser {
        let client: TestClient
        let cookie: String
        let csrf: String

        static func signIn(_ client: TestClient, _ username: String, _ password: String) async throws -> Browser {
            let page = try await client.send(.GET, "/login", headers: ["Accept": "text/html"])
            let loginCSRF = try #require(WebTests.hiddenField("csrf_token", in: page.body))
            var headers: HTTPHeaders = ["Accept": "text/html", "Cookie": "unity_login_csrf=\(loginCSRF)"]
            headers.contentType = .urlEncodedForm
            let signedIn = try await client.send(.POST, "/login", rawBody: "username=\(username)&password=\(password)&next=/&csrf_token=\(loginCSRF)", headers: headers)
            let cookie = try #require(signedIn.headers[.setCookie].first { $0.hasPrefix("unity_session=") }?.split(separator: ";").first.map(String.init))
            let home = try await client.send(.GET, "/", headers: ["Accept": "text/html", "Cookie": cookie])
            return Browser(client: client, cookie: cookie, csrf: try #require(WebTests.hiddenField("csrf_token", in: home.body)))
        }

        func get(_ path: String, extraCookie: String? = nil) async throws -> TestResponse {
            try await client.send(.GET, path, headers: ["Accept": "text/html", "Cookie": [cookie, extraCookie].compactMap { $0 }.joined(separator: "; ")])
        }

        func post(_ path: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> TestResponse {
            var headers: HTTPHeaders = ["Accept": "text/html", "Cookie": cookie]
            headers.contentType = .urlEncodedForm
            let all = (csrf ? [("csrf_token", self.csrf)] : []) + fields
            let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            return try await client.send(.POST, path, rawBody: body, headers: headers)
        }
    }

    static func flash(_ response: TestResponse) -> String? {
        response.headers[.setCookie].first { $0.hasPrefix("unity_notice=") }?.split(separator: ";").first.map(String.init)
    }

    @Test func everyPageRendersForAnAdminWithoutErrors() async throws {
        try await withUnityApp { app in
            let browser = try await Browser.signIn(TestClient(app), "admin", TestClient.adminPassword)
            for path in ["/", "/servers", "/containers", "/alerts", "/alert-rules", "/channels", "/credentials", "/account/api-keys",
                         "/admin/users", "/admin/audit", "/admin/tasks", "/admin/settings", "/dashboard/alerts", "/assets/unity.js"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path): \(page.status)")
                // String interpolation once resolved to SQLKit's query strings inside closures.
                #expect(!page.body.contains("SQLRaw") && !page.body.contains("binds:"), "\(path) rendered a non-String interpolation")
            }
            let rules = try await browser.get("/alert-rules")
            let firstRule = try #require(rules.body.range(of: "href=\"/alert-rules/").map { String(rules.body[$0.upperBound...].prefix(36)) })
            #expect(try await browser.get("/alert-rules/\(firstRule)").body.contains("Save rule"))
        }
    }

    @Test func addingAServerValidatesNextToTheFieldThenRedirectsWithANotice() async throws {
        try await withUnityApp { app in
            let browser = try await Browser.signIn(TestClient(app), "admin", TestClient.adminPassword)
            let bad = try await browser.post("/servers", [("name", "<b>nas</b>"), ("address", "10.0.0.5"), ("port", "99999"), ("username", "unity")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("id=\"f-port-error\">expected 1 to 65535"))
            #expect(bad.body.contains("value=\"&lt;b&gt;nas&lt;/b&gt;\""))
            #expect(try await browser.post("/servers", [("name", "nas")], csrf: false).status == .forbidden)

            let good = try await browser.post("/servers", [("name", "nas"), ("address", "10.0.0.5"), ("port", "22"), ("username", "unity"), ("tags", "storage, lab")])
            #expect(good.status == .seeOther)
            let location = try #require(good.headers.first(name: .location))
            #expect(location.hasPrefix("/servers/"))
            let detail = try await browser.get(location, extraCookie: Self.flash(good))
            #expect(detail.body.contains("Added nas.") && detail.body.contains("Not collected yet"))
            #expect(try await browser.get("/servers?tag=lab").body.contains(">nas</a>"))
            #expect(try await browser.get("/servers?tag=other").body.contains("No server has this tag."))
        }
    }

    @Test func viewersSeeNoActionsAndAreRefusedByTheServer() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            _ = try await client.send(.POST, "/api/v1/servers", token: admin, json: ["name": "nas", "address": "10.0.0.5", "username": "unity"])
            let password = "viewer-password-1234"
            _ = try await client.send(.POST, "/api/v1/users", token: admin, json: ["username": "vera", "role": "viewer", "password": password])
            let viewer = try await Browser.signIn(client, "vera", password)
            let servers = try await viewer.get("/servers")
            #expect(servers.status == .ok && servers.body.contains(">nas</a>") && !servers.body.contains("Add a server"))
            #expect(!(try await viewer.get("/credentials")).body.contains("Import a private key"))
            #expect(!(try await viewer.get("/")).body.contains("href=\"/admin/users\""))
            let refused = try await viewer.post("/servers", [("name", "x"), ("address", "10.0.0.6"), ("username", "u")])
            #expect(refused.status == .forbidden && refused.headers.contentType == .html)
            #expect(try await viewer.get("/admin/users").status == .forbidden)
        }
    }

    @Test func anExpiredSessionGoesToSignInAndBack() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let html: HTTPHeaders = ["Accept": "text/html", "Cookie": "unity_session=expired-or-forged"]
            let page = try await client.send(.GET, "/servers?tag=lab", headers: html)
            #expect(page.status == .seeOther)
            #expect(page.headers.first(name: .location) == "/login?next=/servers%3Ftag%3Dlab")
            // The API keeps answering 401 JSON.
            let api = try await client.send(.GET, "/api/v1/servers", headers: ["Cookie": "unity_session=expired-or-forged"])
            #expect(api.status == .unauthorized && api.errorCode == "session_expired")
        }
    }

    @Test func importingAKeyKeepsThePrivateKeyOutOfTheErrorPage() async throws {
        try await withUnityApp { app in
            let browser = try await Browser.signIn(TestClient(app), "admin", TestClient.adminPassword)
            let bad = try await browser.post("/credentials/ssh-keys", [("name", "laptop"), ("private_key", "not-a-key-UNITYCANARY")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("f-private_key-error") && bad.body.contains("value=\"laptop\""))
            #expect(!bad.body.contains("UNITYCANARY"))
        }
    }
}
