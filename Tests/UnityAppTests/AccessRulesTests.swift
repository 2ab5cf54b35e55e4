import Fluent
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Every route declares who may call it, and the declared rule is the one enforced.
@Suite struct AccessRulesTests {
    /// The only routes anyone may call without signing in.
    static let publicRoutes: Set<String> = [
        "GET /healthz", "GET /readyz", "GET /metrics", "GET /api/v1/openapi.json", "GET /api/docs",
        "POST /api/v1/auth/login", "POST /api/v1/auth/refresh", "POST /api/v1/auth/logout",
        "GET /assets/unity.css", "GET /login", "POST /login",
    ]

    @Test func everyRegisteredRouteHasAnAccessRule() async throws {
        try await withUnityApp { app in
            let routes = app.routes.all
            #expect(routes.count > 20)
            let missing = routes.filter { $0.accessRule == nil }.map(Self.name)
            #expect(missing.isEmpty, "routes without an access rule: \(missing)")
        }
    }

    @Test func onlyTheExplicitPublicListIsOpen() async throws {
        try await withUnityApp { app in
            let open = Set(app.routes.all.filter { $0.accessRule == .open }.map(Self.name))
            #expect(open == Self.publicRoutes)
        }
    }

    @Test func everyMutatingRouteNamesItsAuditAction() async throws {
        try await withUnityApp { app in
            let unnamed = app.routes.all.filter { !$0.method.isSafe && $0.endpointDoc?.operation == nil }.map(Self.name)
            #expect(unnamed.isEmpty, "mutating routes without an audit action: \(unnamed)")
        }
    }

    @Test func everyRegisteredRouteIsInTheOpenAPIDocument() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let response = try await client.send(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            let paths = try #require(response.json["paths"] as? [String: [String: Any]])
            for route in app.routes.all {
                let path = OpenAPIDocument.openAPIPath(route.path)
                #expect(paths[path]?[route.method.rawValue.lowercased()] != nil, "\(Self.name(route)) is missing from openapi.json")
            }
        }
    }

    static func name(_ route: Route) -> String {
        "\(route.method.rawValue) \(OpenAPIDocument.openAPIPath(route.path))"
    }
}
