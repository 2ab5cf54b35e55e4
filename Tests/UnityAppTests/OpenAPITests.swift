import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

@Suite struct OpenAPITests {
    @Test func theDocumentIsOpenAPI31WithInferredSchemas() async throws {
        try await withUnityApp { app in
            let doc = try await TestClient(app).send(.GET, "/api/v1/openapi.json").json
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: [String: [String: Any]]])
            let login = try #require(paths["/api/v1/auth/login"]?["post"])
            #expect(login["security"] as? [Any] != nil && (login["security"] as? [Any])?.isEmpty == true)
            let body = try #require(((login["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])
            let schema = try #require(body["schema"] as? [String: Any])
            #expect(Set(schema["required"] as? [String] ?? []) == ["username", "password"])

            // Optional fields are not required; enums come through; responses use snake_case.
            let create = try #require(paths["/api/v1/users"]?["post"])
            let createSchema = try #require((((create["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
            #expect(Set(createSchema["required"] as? [String] ?? []) == ["username", "role"])
            let role = (createSchema["properties"] as? [String: [String: Any]])?["role"]
            #expect(role?["enum"] as? [String] == ["viewer", "operator", "admin"])
            let get = try #require(paths["/api/v1/users/{id}"]?["get"])
            let response = (((get["responses"] as? [String: Any])?["200"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any]
            let properties = ((response?["schema"] as? [String: Any])?["properties"] as? [String: [String: Any]]) ?? [:]
            #expect(properties["last_login_at"]?["format"] as? String == "date-time")
            #expect(properties["id"]?["format"] as? String == "uuid")
            #expect(get["x-unity-access"] as? String == "admin")
            let responses = try #require(get["responses"] as? [String: Any])
            #expect(Set(responses.keys).isSuperset(of: ["200", "401", "403", "404"]))
        }
    }
}
