import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Registry credentials: admin-only, the password sealed bound to its row and never returned, hosts
/// normalised like image references, and no password ever configured for plain HTTP off loopback.
@Suite struct RegistryCredentialsAPITests {
    @Test func passwordsAreSealedNeverReturnedAndHostsNormalised() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let operatorToken = try await client.user(.operator, adminToken: admin).token
            #expect(try await client.send(.GET, "/api/v1/registries", token: operatorToken).status == .forbidden)

            let created = try await client.send(.POST, "/api/v1/registries", token: admin,
                                                json: ["host": "Index.Docker.io", "username": "bot", "password": "UNITYCANARY-registry"])
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json["host"] as? String == "docker.io")
            #expect(created.json["has_password"] as? Bool == true)
            #expect(!created.body.contains("UNITYCANARY"))
            let id = try #require(created.json["id"] as? String)
            let stored = try #require(try await RegistryCredentialRecord.find(UUID(uuidString: id), on: app.db))
            let sealed = try #require(stored.sealedPassword)
            #expect(sealed.hasPrefix("unity:v2:") && !sealed.contains("UNITYCANARY"))
            #expect(try RegistryCredentialRecord.passwordColumn.open(sealed, id: stored.requireID(), in: app.unity.secrets) == "UNITYCANARY-registry")

            #expect(try await client.send(.POST, "/api/v1/registries", token: admin, json: ["host": "docker.io"]).status == .conflict)
            let list = try await client.send(.GET, "/api/v1/registries", token: admin)
            #expect(list.status == .ok && !list.body.contains("UNITYCANARY") && !list.body.contains(sealed))

            // An update without a password keeps it; "" removes it.
            let renamed = try await client.send(.PATCH, "/api/v1/registries/\(id)", token: admin, json: ["username": "bot2"])
            #expect(renamed.json["username"] as? String == "bot2" && renamed.json["has_password"] as? Bool == true, "\(renamed.body)")
            let cleared = try await client.send(.PATCH, "/api/v1/registries/\(id)", token: admin, json: ["password": ""])
            #expect(cleared.json["has_password"] as? Bool == false)
            #expect(try await client.send(.PATCH, "/api/v1/registries/\(id)", token: admin, json: ["host": "ghcr.io"]).errorField == "host")
            #expect(try await client.send(.DELETE, "/api/v1/registries/\(id)", token: admin).status == .noContent)
        }
    }

    @Test func badInputNamesTheField() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            for host in ["", "ghcr.io/owner", "no spaces.io", "registry:notaport", "nginx", "library"] {
                #expect(try await client.send(.POST, "/api/v1/registries", token: admin, json: ["host": host]).errorField == "host", "\(host)")
            }
            #expect(try await client.send(.POST, "/api/v1/registries", token: admin, json: ["host": "ghcr.io", "password": "x"]).errorField == "username")
            #expect(try await client.send(.POST, "/api/v1/registries", token: admin,
                                          json: ["host": "ghcr.io", "username": "u", "password": "a\nb"]).errorField == "password")
            #expect(try await client.send(.POST, "/api/v1/registries", token: admin,
                                          json: ["host": "ghcr.io", "ca_certificate_id": UUID().uuidString]).errorField == "ca_certificate_id")
            // A password over plain HTTP only to a loopback registry.
            #expect(try await client.send(.POST, "/api/v1/registries", token: admin,
                                          json: ["host": "registry.lan:5000", "username": "u", "password": "p", "allow_insecure_http": true]).errorField == "allow_insecure_http")
            let local = try await client.send(.POST, "/api/v1/registries", token: admin,
                                              json: ["host": "127.0.0.1:5000", "username": "u", "password": "p", "allow_insecure_http": true])
            #expect(local.status == .created, "\(local.body)")
            let insecureAnonymous = try await client.send(.POST, "/api/v1/registries", token: admin, json: ["host": "registry.lan:5000", "allow_insecure_http": true])
            #expect(insecureAnonymous.status == .created, "\(insecureAnonymous.body)")
        }
    }
}
