import Foundation
import Testing
import UnityRegistry
import UnityRegistryTestSupport

/// `Link` pagination of tags/list. A FAKE registry (a responder written the way distribution v3,
/// GHCR and Harbor page: `n`, `last`, `Link: <…>; rel="next"`), because the real distribution 2.8 in
/// the test bed answers every tag in one page and ignores `n`.
@Suite struct RegistryTagPagingTests {
    static let tags = ["1.0.0", "1.1.0", "2.0.0", "latest", "stable"]

    /// `absoluteNext`: Link targets with scheme and host (Harbor) instead of a path (distribution).
    private func pagingRegistry(absoluteNext: Bool = false, nextHost: String? = nil) throws -> TestHTTPServer {
        let port = LockedPort()
        let server = try TestHTTPServer.start { request in
            guard request.path.hasSuffix("/tags/list") else { return TestHTTPServer.Response(status: 404) }
            let n = Int(request.query("n").first ?? "") ?? Self.tags.count
            let last = request.query("last").first
            let rest = Self.tags.filter { last == nil || $0 > last! }
            let page = Array(rest.prefix(n))
            var headers: [(String, String)] = []
            if rest.count > page.count, let end = page.last {
                let path = "/v2/homelab/app/tags/list?n=\(n)&last=\(end)"
                let prefix = nextHost.map { "http://\($0)" } ?? (absoluteNext ? "http://127.0.0.1:\(port.value)" : "")
                headers.append(("Link", "<\(prefix)\(path)>; rel=\"next\""))
            }
            return TestHTTPServer.Response.json(["name": "homelab/app", "tags": page]).adding(headers)
        }
        port.value = server.port
        return server
    }

    @Test(arguments: [false, true])
    func followsNextLinksPageByPage(absolute: Bool) async throws {
        let server = try pagingRegistry(absoluteNext: absolute)
        defer { server.stop() }
        var options = RegistryClient.Options()
        options.tagPageSize = 2
        try await withRegistryClient(access: openAccess, options: options) { client in
            let ref = try reference("127.0.0.1:\(server.port)", "homelab/app", tag: "latest")
            #expect(try await client.tags(of: ref, limit: 100) == Self.tags)
            #expect(server.requests.map(\.uri) == [
                "/v2/homelab/app/tags/list?n=2",
                "/v2/homelab/app/tags/list?n=2&last=1.1.0",
                "/v2/homelab/app/tags/list?n=2&last=latest",
            ])
            // Capped: the second page is enough for three tags.
            #expect(try await client.tags(of: ref, limit: 3) == Array(Self.tags.prefix(3)))
            #expect(server.requestCount == 5)
        }
    }

    @Test func nextLinkToAnotherHostIsRefused() async throws {
        let server = try pagingRegistry(nextHost: "localhost:1")
        defer { server.stop() }
        var options = RegistryClient.Options()
        options.tagPageSize = 2
        try await withRegistryClient(access: openAccess, options: options) { client in
            let host = "127.0.0.1:\(server.port)"
            await #expect(throws: RegistryError.refusedHost(registry: host, host: "localhost:1")) {
                try await client.tags(of: try reference(host, "homelab/app", tag: "latest"), limit: 100)
            }
        }
    }
}

private final class LockedPort: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    var value: Int {
        get { lock.lock(); defer { lock.unlock() }; return port }
        set { lock.lock(); port = newValue; lock.unlock() }
    }
}

private extension TestHTTPServer.Response {
    func adding(_ extra: [(String, String)]) -> Self {
        var copy = self
        copy.headers += extra
        return copy
    }
}
