import Fluent
import Foundation
import Testing
import UnityCore
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Anonymous callers, each role and a read-scoped API key against every route that requires a
/// role: nobody below the rule succeeds, and a read key never changes anything.
@Suite struct RoleMatrixTests {
    enum Caller: String, CaseIterable {
        case anonymous, viewer, `operator`, admin, readKey

        /// What the caller is allowed on a route that requires `role`, with `method`.
        func allowed(_ role: Role, method: HTTPMethod) -> Bool {
            switch self {
            case .anonymous: false
            case .viewer: role <= .viewer
            case .operator: role <= .operator
            case .admin: true
            case .readKey: method.isSafe && role <= .viewer
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func noCallerSucceedsBelowTheRouteRule(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin)
            let operatorUser = try await client.user(.operator, adminToken: admin)
            // An admin's key with only the read scope: its owner could do anything, the key cannot.
            let readKey = try await client.apiKey(scopes: ["read"], token: admin)
            let tokens: [Caller: String?] = [.anonymous: nil, .viewer: viewer.token, .operator: operatorUser.token,
                                             .admin: admin, .readKey: readKey]
            var checked = 0
            for route in app.routes.all {
                guard case .role(let required) = route.accessRule else { continue }
                // Placeholder ids: an authorised caller then gets 404 or 422, an unauthorised one 401/403.
                let path = "/" + route.path.map { component -> String in
                    if case .parameter = component { return UUID().uuidString }
                    return component.description
                }.joined(separator: "/")
                for caller in Caller.allCases where !caller.allowed(required, method: route.method) {
                    let response = try await client.send(route.method, path, token: tokens[caller] ?? nil, json: [String: Any]())
                    #expect([.unauthorized, .forbidden].contains(response.status),
                            "\(caller.rawValue) got \(response.status.code) on \(route.method) \(path) (needs \(required))")
                    #expect(response.errorCode != nil, "error body missing for \(caller.rawValue) on \(path)")
                    checked += 1
                }
            }
            #expect(checked > 30)
        }
    }

    @Test func aWriteKeyActsWithTheLowerOfKeyScopeAndOwnerRole() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let writeKey = try await client.apiKey(scopes: ["write"], token: admin)
            // write = operator level: may run tasks, may not manage users.
            #expect(try await client.send(.POST, "/api/v1/tasks/token-cleanup/run", token: writeKey).status == .ok)
            #expect(try await client.send(.GET, "/api/v1/users", token: writeKey).status == .forbidden)
            // A viewer cannot mint a key above their role.
            let viewer = try await client.user(.viewer, adminToken: admin)
            let refused = try await client.send(.POST, "/api/v1/api-keys", token: viewer.token, json: ["name": "x", "scopes": ["admin"]])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.errorField == "scopes")
        }
    }
}
