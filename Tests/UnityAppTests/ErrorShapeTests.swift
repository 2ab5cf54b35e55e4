import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Bad input always gets the JSON error shape with a 4xx naming what is wrong, never a 500.
@Suite struct ErrorShapeTests {
    @Test func malformedJSONIs400() async throws {
        try await withUnityApp { app in
            let response = try await TestClient(app).send(.POST, "/api/v1/auth/login", rawBody: "{\"username\": ")
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "malformed_body")
        }
    }

    @Test func missingFieldsAndWrongTypesAre422NamingTheField() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let missing = try await client.send(.POST, "/api/v1/auth/login", json: ["username": "admin"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.errorField == "password")
            let wrongType = try await client.send(.POST, "/api/v1/auth/login", json: ["username": 42, "password": "x"])
            #expect(wrongType.status == .unprocessableEntity)
            #expect(wrongType.errorField == "username")
            let admin = try await client.login("admin", TestClient.adminPassword)
            let badEnum = try await client.send(.POST, "/api/v1/api-keys", token: admin, json: ["name": "k", "scopes": ["everything"]])
            #expect(badEnum.status == .unprocessableEntity)
            #expect(badEnum.errorField?.hasPrefix("scopes") == true)
            let badNull = try await client.send(.POST, "/api/v1/users", token: admin, json: ["username": NSNull(), "role": "viewer"])
            #expect(badNull.status == .unprocessableEntity)
            #expect(badNull.errorField == "username")
            let notAnObject = try await client.send(.POST, "/api/v1/users", token: admin, rawBody: "[1, 2]")
            #expect(notAnObject.status.code >= 400 && notAnObject.status.code < 500)
            #expect(notAnObject.errorCode != nil)
        }
    }

    @Test func unknownAndMalformedIdsAre404() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            for path in ["/api/v1/users/\(UUID())", "/api/v1/users/not-a-uuid", "/api/v1/tasks/no-such-task/runs", "/api/v1/nothing-here"] {
                let response = try await client.send(.GET, path, token: admin)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.errorCode == "not_found", "\(path)")
            }
        }
    }

    @Test func badPagingIs422() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let response = try await client.send(.GET, "/api/v1/users?per_page=100000", token: admin)
            #expect(response.status == .unprocessableEntity)
            #expect(response.errorField == "per_page")
            let since = try await client.send(.GET, "/api/v1/audit?since=yesterday", token: admin)
            #expect(since.errorField == "since")
        }
    }

    /// Over a real socket, so Vapor's streaming body limit is what answers.
    @Test func oversizeBodiesAre413() async throws {
        try await withUnityApp(settings: ["UNITY_MAX_BODY_SIZE": "16kb"]) { app in
            let client = TestClient(app, method: .running(hostname: "127.0.0.1", port: 0))
            let big = String(repeating: "x", count: 64 * 1024)
            let response = try await client.send(.POST, "/api/v1/auth/login", json: ["username": big, "password": big])
            #expect(response.status == .payloadTooLarge)
            #expect(response.errorCode == "body_too_large")
        }
    }
}
