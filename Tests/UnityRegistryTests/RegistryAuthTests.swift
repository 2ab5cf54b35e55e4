import Foundation
import Testing
import UnityRegistry
import UnityRegistryTestSupport

/// Basic over TLS (htpasswd, a test CA) and Bearer tokens (distribution `auth.token` with the test
/// token server), against real registries.
@Suite struct RegistryAuthTests {
    static let password = TestRegistry.password

    private func basicAccess(_ registry: TestRegistry, password: String = TestRegistry.password) -> RegistryAccess {
        RegistryAccess(username: TestRegistry.username, password: password, caCertificatePEM: registry.caCertificatePEM)
    }

    @discardableResult
    private func pushed(to registry: TestRegistry, repository: String, tag: String) throws -> String {
        let layout = try newLayout()
        try layout.tag(try layout.addImage(content: "\(repository):\(tag)"), as: tag)
        return try registry.push(layout, ref: tag, repository: repository, tag: tag)
    }

    @Test func basicAuthOverTLSWithTheTestCA() async throws {
        let registry = try TestRegistry.basicTLS()
        let repository = uniqueRepository()
        let digest = try pushed(to: registry, repository: repository, tag: "1.0")
        try await withRegistryClient(access: basicAccess(registry)) { client in
            let ref = try reference(registry.host, repository, tag: "1.0")
            #expect(try await client.manifest(for: ref).digest == digest)
            #expect(try await client.tags(of: ref, limit: 10) == ["1.0"])
        }
    }

    @Test func wrongBasicPasswordIsUnauthorizedWithoutThePassword() async throws {
        let registry = try TestRegistry.basicTLS()
        let repository = uniqueRepository()
        try pushed(to: registry, repository: repository, tag: "1.0")
        let wrong = "wrong-UNITYCANARY-basic"
        try await withRegistryClient(access: basicAccess(registry, password: wrong)) { client in
            let ref = try reference(registry.host, repository, tag: "1.0")
            let error = await #expect(throws: RegistryError.self) { try await client.manifest(for: ref) }
            #expect(error == .unauthorized(registry: registry.host))
            #expect(!"\(error!)".contains("UNITYCANARY") && !String(reflecting: error!).contains("UNITYCANARY"))
        }
        // No credentials at all: the Basic challenge cannot be answered.
        try await withRegistryClient(access: RegistryAccess(caCertificatePEM: registry.caCertificatePEM)) { client in
            await #expect(throws: RegistryError.unauthorized(registry: registry.host)) {
                try await client.manifest(for: try reference(registry.host, repository, tag: "1.0"))
            }
        }
    }

    @Test func tlsWithoutTheCAFailsWithAClearTransportError() async throws {
        let registry = try TestRegistry.basicTLS()
        let repository = uniqueRepository()
        try pushed(to: registry, repository: repository, tag: "1.0")
        try await withRegistryClient(access: RegistryAccess(username: TestRegistry.username, password: Self.password)) { client in
            let error = await #expect(throws: RegistryError.self) {
                try await client.manifest(for: try reference(registry.host, repository, tag: "1.0"))
            }
            guard case .transport(let host, let message) = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            #expect(host == registry.host)
            #expect(message.contains("TLS") && message.contains("not trusted"))
            #expect(!message.contains("UNITYCANARY"))
        }
        // Plain HTTP to an HTTPS registry is no way around it either: it fails, it does not downgrade.
        try await withRegistryClient(access: RegistryAccess(caCertificatePEM: "not a pem")) { client in
            let error = await #expect(throws: RegistryError.self) {
                try await client.manifest(for: try reference(registry.host, repository, tag: "1.0"))
            }
            #expect(error?.description.contains("not valid PEM") == true)
        }
    }

    @Test func bearerAnonymousPullOfAPublicRepository() async throws {
        let registry = try TestRegistry.tokenAuth()
        let server = try #require(registry.tokenServer)
        let repository = uniqueRepository("public")
        let digest = try pushed(to: registry, repository: repository, tag: "1.0")
        try await withRegistryClient(access: RegistryAccess(allowInsecureHTTP: true)) { client in
            let ref = try reference(registry.localhostHost, repository, tag: "1.0")
            #expect(try await client.manifest(for: ref).digest == digest)
            #expect(try await client.tags(of: ref, limit: 5) == ["1.0"])
        }
        // Anonymous token requests carry no Authorization at all.
        let anonymous = server.http.requests.filter { $0.query("scope").contains("repository:\(repository):pull") && $0.query("account").isEmpty }
        #expect(!anonymous.isEmpty && anonymous.allSatisfy { $0.header("Authorization") == nil })
    }

    @Test func bearerPrivateRepositoryNeedsCredentials() async throws {
        let registry = try TestRegistry.tokenAuth()
        let repository = uniqueRepository("private")
        let digest = try pushed(to: registry, repository: repository, tag: "1.0")
        let ref = try reference(registry.localhostHost, repository, tag: "1.0")
        try await withRegistryClient(access: RegistryAccess(allowInsecureHTTP: true)) { client in
            await #expect(throws: RegistryError.unauthorized(registry: registry.localhostHost)) { try await client.manifest(for: ref) }
        }
        let credentialed = RegistryAccess(username: TestRegistry.username, password: Self.password, allowInsecureHTTP: true)
        try await withRegistryClient(access: credentialed) { client async throws in
            #expect(try await client.manifest(for: ref).digest == digest)
        }
        let wrong = RegistryAccess(username: TestRegistry.username, password: "bad-UNITYCANARY-token", allowInsecureHTTP: true)
        try await withRegistryClient(access: wrong) { client in
            let error = await #expect(throws: RegistryError.self) { try await client.manifest(for: ref) }
            #expect(error == .unauthorized(registry: registry.localhostHost))
            #expect(!"\(error!)".contains("UNITYCANARY"))
        }
    }

    @Test func tokenIsCachedAcrossRequestsOfTheSameScope() async throws {
        let registry = try TestRegistry.tokenAuth()
        let server = try #require(registry.tokenServer)
        let repository = uniqueRepository("private")
        try pushed(to: registry, repository: repository, tag: "1.0")
        let scope = "repository:\(repository):pull"
        func tokenRequests() -> Int { server.http.requests.filter { $0.query("scope").contains(scope) && $0.header("User-Agent")?.hasPrefix("Unity-Registry") == true }.count }
        let access = RegistryAccess(username: TestRegistry.username, password: Self.password, allowInsecureHTTP: true)
        try await withRegistryClient(access: access) { client in
            let ref = try reference(registry.localhostHost, repository, tag: "1.0")
            _ = try await client.manifest(for: ref)
            #expect(tokenRequests() == 1)
            _ = try await client.manifest(for: ref)
            _ = try await client.tags(of: ref, limit: 10)
            #expect(tokenRequests() == 1)
            #expect(await client.tokenRequestCount == 1)
        }
        // The second HEAD went out with the cached token: no 401 round trip for it.
        let heads = registry.log.split(separator: "\n").filter { $0.contains("\"HEAD /v2/\(repository)/manifests/1.0") && $0.contains("Unity-Registry") }
        #expect(heads.count == 3)
        #expect(heads.filter { $0.contains("\" 401 ") }.count == 1)
    }

    @Test func realmOnAnotherHostIsRefusedBeforeAnythingIsSentToIt() async throws {
        let registry = try TestRegistry.tokenAuth()
        let server = try #require(registry.tokenServer)
        let repository = uniqueRepository("private")
        try pushed(to: registry, repository: repository, tag: "1.0")
        // Other tests use the token server at the same time: count this repository's requests.
        func seen() -> Int { server.http.requests.filter { $0.query("scope").contains { $0.contains(repository) } && $0.header("User-Agent")?.hasPrefix("Unity-Registry") == true }.count }
        // Addressed as 127.0.0.1, the registry names a realm on `localhost`: another host.
        let access = RegistryAccess(username: TestRegistry.username, password: Self.password, allowInsecureHTTP: true)
        try await withRegistryClient(access: access) { client in
            let ref = try reference(registry.host, repository, tag: "1.0")
            await #expect(throws: RegistryError.refusedHost(registry: registry.host, host: "localhost")) {
                try await client.manifest(for: ref)
            }
            await #expect(throws: RegistryError.refusedHost(registry: registry.host, host: "localhost")) {
                try await client.tags(of: ref, limit: 10)
            }
        }
        try await withRegistryClient(access: RegistryAccess(allowInsecureHTTP: true)) { client in
            await #expect(throws: RegistryError.refusedHost(registry: registry.host, host: "localhost")) {
                try await client.manifest(for: try reference(registry.host, repository, tag: "1.0"))
            }
        }
        #expect(seen() == 0)
        // The registry itself never got the password either (Bearer registries get no Basic).
        #expect(!registry.log.contains(TestRegistry.password))
        // Allowed explicitly for this registry, the same realm works.
        var allowed = access
        allowed.additionalAuthHosts = ["localhost"]
        try await withRegistryClient(access: allowed) { client in
            _ = try await client.manifest(for: try reference(registry.host, repository, tag: "1.0"))
        }
        #expect(seen() == 1)
    }
}
