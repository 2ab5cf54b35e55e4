import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Error pages are pages: the same security headers as every other HTML response, and a
/// signed-in person keeps the navigation.
@Suite struct WebErrorPageTests {
    static func expectSecurityHeaders(_ response: TestResponse, _ what: String) {
        #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(what): \(response.headers)")
        #expect(response.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true, "\(what)")
        #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(what)")
        #expect(response.headers.first(name: "Referrer-Policy") == "same-origin", "\(what)")
    }

    @Test func browserErrorPagesCarryTheHeadersAndTheNavigation() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let anonymous404 = try await client.send(.GET, "/no-such-page", headers: ["Accept": "text/html"])
            #expect(anonymous404.status == .notFound && anonymous404.headers.contentType == .html)
            Self.expectSecurityHeaders(anonymous404, "anonymous 404")
            #expect(!anonymous404.body.contains("aria-label=\"Main\""))

            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let missing = try await viewer.get("/no-such-page")
            #expect(missing.status == .notFound)
            Self.expectSecurityHeaders(missing, "signed-in 404")
            #expect(missing.body.contains("aria-label=\"Main\"") && missing.body.contains("viewer-user") && missing.body.contains("action=\"/logout\""), "\(missing.body)")
            let missingServer = try await viewer.get("/servers/\(UUID().uuidString)")
            #expect(missingServer.status == .notFound && missingServer.body.contains("aria-label=\"Main\""))
            Self.expectSecurityHeaders(missingServer, "unknown server")

            let forbidden = try await viewer.get("/admin/users")
            #expect(forbidden.status == .forbidden && forbidden.body.contains("aria-label=\"Main\""))
            Self.expectSecurityHeaders(forbidden, "403")
            // JSON keeps its shape and gets nosniff.
            let api = try await client.send(.GET, "/api/v1/no-such-thing", token: admin)
            #expect(api.status == .notFound && api.errorCode == "not_found")
            #expect(api.headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }
}
