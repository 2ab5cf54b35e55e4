/// What update detection asks a registry. The live implementation is the registry HTTP client; tests of
/// the detection logic may use a fake that says so, because the client has its own real-registry tests.
public protocol RegistryQuerying: Sendable {
    /// The manifest a tag (or digest) resolves to now: HEAD with every manifest media type accepted,
    /// GET only when the digest header is missing or the platform entries of an index are needed.
    func manifest(for reference: ImageReference) async throws(RegistryError) -> RegistryManifest
    /// The repository's tags (following `Link` pagination), at most `limit` of them.
    func tags(of reference: ImageReference, limit: Int) async throws(RegistryError) -> [String]
}

/// One manifest as the registry serves it.
public struct RegistryManifest: Sendable, Equatable {
    /// `Docker-Content-Digest` (or the SHA-256 of the body when the header is missing).
    public var digest: String
    public var mediaType: String
    /// For an index / manifest list: its platform entries, nested indexes resolved, attestation
    /// entries (`unknown/unknown`) left out. Empty for a single-platform manifest.
    public var platforms: [PlatformManifest]
    /// Rate-limit headers of the answer, when the registry sends them (Docker Hub).
    public var rateLimit: RegistryRateLimit?

    public init(digest: String, mediaType: String, platforms: [PlatformManifest] = [], rateLimit: RegistryRateLimit? = nil) {
        self.digest = digest
        self.mediaType = mediaType
        self.platforms = platforms
        self.rateLimit = rateLimit
    }

    public var isIndex: Bool { ManifestMediaType.indexTypes.contains(mediaType) }
}

public struct PlatformManifest: Sendable, Equatable, Hashable {
    public var digest: String
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(digest: String, os: String, architecture: String, variant: String? = nil) {
        self.digest = digest
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }
}

public struct RegistryRateLimit: Sendable, Equatable {
    public var limit: Int?
    public var remaining: Int?
    public init(limit: Int?, remaining: Int?) {
        self.limit = limit
        self.remaining = remaining
    }
}

public enum ManifestMediaType {
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    /// Sent in every manifest request's `Accept`: without it registries 404 OCI manifests or convert
    /// Docker ones to schema 1, whose digest differs from what engines recorded.
    public static let all = [ociIndex, ociManifest, dockerManifestList, dockerManifest]
    public static let indexTypes: Set<String> = [ociIndex, dockerManifestList]
}

/// Why a registry question has no answer. Detection turns each into `unknown` with this reason (never
/// "up to date"); `rateLimited` and `unavailable` keep the last good result, marked stale.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401/403 after authenticating (or with no credentials where the registry needs some).
    case unauthorized(registry: String)
    /// 404: the repository or tag does not exist (or is private and the token did not cover it).
    case notFound(reference: String)
    /// 429 (or Docker Hub's limit reached): retry no earlier than `retryAfterSeconds` when given.
    case rateLimited(registry: String, retryAfterSeconds: Int?)
    /// 5xx / 503 with or without `Retry-After`.
    case unavailable(registry: String, status: Int, retryAfterSeconds: Int?)
    /// A token realm or redirect pointed to a host this registry is not allowed to send us to.
    case refusedHost(registry: String, host: String)
    /// Connection, TLS or timeout failure (message has no credentials).
    case transport(registry: String, message: String)
    /// The answer could not be understood (bad JSON, missing digest, unsupported media type).
    case invalidResponse(registry: String, message: String)

    public var description: String {
        switch self {
        case .unauthorized(let registry): "registry \(registry) refused the credentials (401/403)"
        case .notFound(let reference): "\(reference) was not found on its registry"
        case .rateLimited(let registry, let retry):
            "registry \(registry) rate-limited the check" + (retry.map { "; retry after \($0) s" } ?? "")
        case .unavailable(let registry, let status, let retry):
            "registry \(registry) answered \(status)" + (retry.map { "; retry after \($0) s" } ?? "")
        case .refusedHost(let registry, let host): "registry \(registry) pointed to host \(host), which is not allowed for it"
        case .transport(let registry, let message): "could not reach registry \(registry): \(message)"
        case .invalidResponse(let registry, let message): "registry \(registry) answered something unexpected: \(message)"
        }
    }

    /// Failures worth retrying later with the last good result kept (shown stale).
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .unavailable, .transport: true
        default: false
        }
    }
}
