import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

@Suite struct WebTests {
    @Test func browserSignInSetsAnHttpOnlyCookieAndFormsNeedTheCSRFToken() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let html: HTTPHeaders = ["Accept": "text/html"]
            let anonymous = try await client.send(.GET, "/", headers: html)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location) == "/login?next=/")
            let page = try await client.send(.GET, "/login", headers: html)
            #expect(page.body.contains("<form method=\"post\" action=\"/login\">"))
            #expect(page.body.contains("First start"))
            let loginCookie = try #require(page.headers.first(name: .setCookie))
            #expect(loginCookie.contains("HttpOnly") && loginCookie.contains("SameSite=Strict"))
            let loginCSRF = try #require(Self.hiddenField("csrf_token", in: page.body))

            var form: HTTPHeaders = html
            form.contentType = .urlEncodedForm
            // Without the double-submit cookie the form is refused: another site cannot sign a browser in.
            let forged = try await client.send(.POST, "/login", rawBody: "username=admin&password=\(TestClient.adminPassword)&csrf_token=\(loginCSRF)", headers: form)
            #expect(forged.status == .forbidden)
            #expect(forged.headers.first(name: .setCookie)?.contains("unity_session") != true)
            form.add(name: .cookie, value: "unity_login_csrf=\(loginCSRF)")
            let wrong = try await client.send(.POST, "/login", rawBody: "username=admin&password=nope&next=/&csrf_token=\(loginCSRF)", headers: form)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("wrong username or password") && wrong.body.contains("value=\"admin\""))

            let signedIn = try await client.send(.POST, "/login", rawBody: "username=admin&password=\(TestClient.adminPassword)&next=//evil.example&csrf_token=\(loginCSRF)", headers: form)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers.first(name: .location) == "/")  // no open redirect
            let cookie = try #require(signedIn.headers[.setCookie].first { $0.hasPrefix("unity_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            let session = try #require(cookie.split(separator: ";").first.map(String.init))

            var withCookie: HTTPHeaders = html
            withCookie.add(name: .cookie, value: session)
            let dashboard = try await client.send(.GET, "/", headers: withCookie)
            #expect(dashboard.status == .ok)
            #expect(dashboard.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
            let csrf = try #require(Self.hiddenField("csrf_token", in: dashboard.body))

            // A cookie alone cannot change anything: the CSRF token must come with it.
            var post = withCookie
            post.contentType = .urlEncodedForm
            #expect(try await client.send(.POST, "/logout", rawBody: "", headers: post).status == .forbidden)
            #expect(try await client.send(.POST, "/api/v1/me/password", json: ["current_password": "x", "new_password": "y"], headers: withCookie).status == .forbidden)
            let out = try await client.send(.POST, "/logout", rawBody: "csrf_token=\(csrf)", headers: post)
            #expect(out.status == .seeOther)
            #expect(try await client.send(.GET, "/api/v1/me", headers: withCookie).status == .unauthorized)
        }
    }

    static func hiddenField(_ name: String, in html: String) -> String? {
        html.range(of: "name=\"\(name)\" value=\"").map { range in String(html[range.upperBound...].prefix { $0 != "\"" }) }
    }

    @Test func errorsRenderAsPagesForBrowsersAndJSONForTheAPI() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let page = try await client.send(.GET, "/no-such-page", headers: ["Accept": "text/html"])
            #expect(page.status == .notFound)
            #expect(page.headers.contentType == .html && page.body.contains("404"))
            let api = try await client.send(.GET, "/api/v1/no-such", headers: ["Accept": "text/html"])
            #expect(api.errorCode == "not_found")
        }
    }

    @Test func apiDocsPageListsEveryOperationWithoutExternalAssets() async throws {
        try await withUnityApp { app in
            let docs = try await TestClient(app).send(.GET, "/api/docs")
            #expect(docs.status == .ok)
            #expect(docs.body.contains("/api/v1/users/{id}") && docs.body.contains("Create an API key"))
            #expect(!docs.body.contains("http://") && !docs.body.contains("https://"))
        }
    }
}
