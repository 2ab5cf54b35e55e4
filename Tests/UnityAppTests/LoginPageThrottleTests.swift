import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The browser sign-in form under the throttle: the refusal is the login page again, with the wait
/// in its text and in `Retry-After` like the API's 429.
@Suite struct LoginPageThrottleTests {
    @Test func aThrottledFormSignInSaysWhenToRetry() async throws {
        try await withUnityApp(settings: ["UNITY_LOGIN_MAX_FAILURES": "1"]) { app in
            let client = TestClient(app)
            var form: HTTPHeaders = ["Accept": "text/html"]
            let page = try await client.send(.GET, "/login", headers: form)
            let csrf = try #require(WebTests.hiddenField("csrf_token", in: page.body))
            form.contentType = .urlEncodedForm
            form.add(name: .cookie, value: "unity_login_csrf=\(csrf)")
            let wrong = try await client.send(.POST, "/login", rawBody: "username=admin&password=nope&next=/&csrf_token=\(csrf)", headers: form)
            #expect(wrong.status == .unauthorized)
            let refused = try await client.send(.POST, "/login", rawBody: "username=admin&password=\(TestClient.adminPassword)&next=/&csrf_token=\(csrf)", headers: form)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body.contains("too many failed sign-ins") && refused.body.contains("value=\"admin\""))
            let wait = try #require(refused.headers.first(name: "Retry-After").flatMap(Int.init))
            #expect(wait > 0 && wait <= 900)
        }
    }
}
