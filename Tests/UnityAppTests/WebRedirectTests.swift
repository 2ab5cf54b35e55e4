import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Where sign-in sends a browser afterwards: only local paths, however the target is disguised.
@Suite struct WebRedirectTests {
    /// Each of these reads as another site (or a script) to a browser, raw or after decoding.
    static let hostile = [
        "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\\evil.example", "//evil.example",
        "/%09/evil.example", "/%2F%2Fevil.example", "/%2f/evil.example", "/%5Cevil.example", "/%252F%252Fevil.example",
        "https://evil.example", "javascript:alert(1)", " /x", "/x y", "\t/x", "/\u{0}x", "/x\u{7f}", "/\u{2028}/evil.example",
        "/%E2%80%A8/evil.example", "", "x", "./x",
    ]
    static let local = ["/", "/servers", "/servers?tag=lab", "/alerts?status=active&per_page=50", "/channels#log-h", "/admin/users/1a2b/password"]

    @Test(arguments: hostile) func aHostileTargetBecomesTheDashboard(_ target: String) {
        #expect(WebController.safeNext(target) == "/", "\(target.debugDescription)")
    }

    @Test(arguments: local) func aLocalTargetIsKept(_ target: String) {
        #expect(WebController.safeNext(target) == target)
    }

    /// The whole round trip as a browser makes it: the form's hidden field and the Location header.
    @Test func signingInNeverRedirectsElsewhere() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            for target in Self.hostile + ["/servers?tag=lab"] {
                let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                let page = try await client.send(.GET, "/login?next=\(encoded)", headers: ["Accept": "text/html"])
                let field = WebTests.hiddenField("next", in: page.body)
                let csrf = try #require(WebTests.hiddenField("csrf_token", in: page.body))
                var headers: HTTPHeaders = ["Accept": "text/html", "Cookie": "unity_login_csrf=\(csrf)"]
                headers.contentType = .urlEncodedForm
                let body = "username=admin&password=\(TestClient.adminPassword)&next=\(encoded)&csrf_token=\(csrf)"
                let signedIn = try await client.send(.POST, "/login", rawBody: body, headers: headers)
                let expected = target == "/servers?tag=lab" ? target : "/"
                #expect(signedIn.status == .seeOther && signedIn.headers.first(name: .location) == expected,
                        "\(target.debugDescription) → \(signedIn.headers.first(name: .location)?.debugDescription ?? "none")")
                #expect(field == WebPage.escape(expected), "\(target.debugDescription) in the form: \(field ?? "none")")
            }
        }
    }
}
