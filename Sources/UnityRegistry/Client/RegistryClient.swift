import Crypto
import Foundation
import Logging
import NIOHTTP1

/// The live `RegistryQuerying`: the OCI distribution API over HTTPS (plain HTTP only where
/// `RegistryAccess.allowInsecureHTTP` says so), with anonymous, Basic and Bearer-token auth, per-host
/// rate limiting and back-off. Credentials come per registry host from `access` at request time and are
/// never kept, logged or put into errors. Call `shutdown()` when done (it closes the HTTP clients).
public final class RegistryClient: RegistryQuerying {
    public struct Options: Sendable {
        /// Token bucket per registry host: sustained rate and burst.
        public var requestsPerSecond: Double
        public var burst: Int
        /// `n` of each tags page (lowered to the caller's limit).
        public var tagPageSize: Int
        /// Largest manifest, index, tags page or token answer read.
        public var maxBodyBytes: Int
        /// Indexes inside indexes resolved this deep; deeper entries are left out.
        public var maxIndexDepth: Int
        /// Back-off after a 429 that carries no `Retry-After`.
        public var defaultBackOffSeconds: Int

        public init(requestsPerSecond: Double = 10, burst: Int = 20, tagPageSize: Int = 1000,
                    maxBodyBytes: Int = 4 << 20, maxIndexDepth: Int = 3, defaultBackOffSeconds: Int = 60) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
            self.tagPageSize = tagPageSize
            self.maxBodyBytes = maxBodyBytes
            self.maxIndexDepth = maxIndexDepth
            self.defaultBackOffSeconds = defaultBackOffSeconds
        }
    }

    /// The access for a registry host as `ImageReference.registry` spells it (`docker.io`, `ghcr.io`,
    /// `registry.example.com:5000`); nil = anonymous over HTTPS with the system trust store.
    public typealias AccessLookup = @Sendable (String) async -> RegistryAccess?

    let options: Options
    let access: AccessLookup
    let clock: any RegistryClock
    let transport: any RegistryTransport
    let ownedTransport: HTTPRegistryTransport?
    let limiter: RegistryRateLimiter
    let tokens = RegistryTokenCache()
    let logger: Logger

    /// - Parameter transport: nil = an AsyncHTTPClient transport this client owns and shuts down.
    public init(access: @escaping AccessLookup = { _ in nil }, options: Options = Options(),
                clock: any RegistryClock = SystemRegistryClock(), transport: (any RegistryTransport)? = nil,
                logger: Logger = Logger(label: "unity.registry")) {
        self.options = options
        self.access = access
        self.clock = clock
        let owned = transport == nil ? HTTPRegistryTransport() : nil
        self.ownedTransport = owned
        self.transport = transport ?? owned!
        self.limiter = RegistryRateLimiter(requestsPerSecond: options.requestsPerSecond, burst: options.burst, clock: clock)
        self.logger = logger
    }

    public func shutdown() async {
        await ownedTransport?.shutdown()
    }

    /// Token requests this client made (never the tokens), for tests and metrics.
    public var tokenRequestCount: Int { get async { await tokens.tokenRequests } }

    /// Seconds until requests to this registry's host are allowed again after a 429/503 (0 = now).
    public func backOffRemaining(registry: String) async -> TimeInterval {
        let host = registry == ImageReference.dockerHub ? "registry-1.docker.io" : registry.lowercased()
        return await limiter.backOffRemaining(host: host)
    }

    // MARK: RegistryQuerying

    public func manifest(for reference: ImageReference) async throws(RegistryError) -> RegistryManifest {
        let target = reference.digest ?? reference.tag ?? "latest"
        let context = try await context(for: reference)
        let head = try await exchange(.HEAD, context.url(manifest: target), context, accept: Self.manifestAccept)
        let rateLimit = RegistryHeaders.rateLimit(head.headers)
        let headType = RegistryHeaders.mediaType(head.headers)
        if let digest = RegistryHeaders.contentDigest(head.headers), let headType,
           ManifestMediaType.all.contains(headType) {
            guard ManifestMediaType.indexTypes.contains(headType) else {
                return RegistryManifest(digest: digest, mediaType: headType, rateLimit: rateLimit)
            }
            // The index by its digest, not the tag again: the tag may have moved since the HEAD.
            let document = try await fetchManifest(digest, context)
            let platforms = try await platforms(of: document, context, depth: 1)
            return RegistryManifest(digest: digest, mediaType: headType, platforms: platforms, rateLimit: rateLimit ?? document.rateLimit)
        }
        // No digest header (or a media type the HEAD did not name): the body decides.
        let document = try await fetchManifest(target, context)
        let platforms = document.isIndex ? try await platforms(of: document, context, depth: 1) : []
        return RegistryManifest(digest: document.digest, mediaType: document.mediaType, platforms: platforms,
                                rateLimit: document.rateLimit ?? rateLimit)
    }

    public func tags(of reference: ImageReference, limit: Int) async throws(RegistryError) -> [String] {
        guard limit > 0 else { return [] }
        let context = try await context(for: reference)
        var url = context.url(path: "/v2/\(reference.repository)/tags/list?n=\(max(1, min(limit, options.tagPageSize)))")
        var tags: [String] = []
        var seen = Set<String>()
        for _ in 0..<1000 {
            let response = try await exchange(.GET, url, context, accept: "application/json")
            guard let page = try? JSONDecoder().decode(TagsPage.self, from: response.body) else {
                throw .invalidResponse(registry: reference.registry, message: "tags list is not the expected JSON")
            }
            for tag in page.tags ?? [] where seen.insert(tag).inserted {
                tags.append(tag)
                if tags.count == limit { return tags }
            }
            guard let next = RegistryHeaders.nextLink(response.headers), !(page.tags ?? []).isEmpty else { break }
            url = try context.resolve(next, relativeTo: url, sameHostOnly: true)
        }
        return tags
    }

    static let manifestAccept = ManifestMediaType.all.joined(separator: ", ")

    private struct TagsPage: Decodable {
        var tags: [String]?
    }
}
