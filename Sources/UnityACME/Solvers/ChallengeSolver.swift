import Crypto
import Foundation

/// One challenge to be made answerable: what a solver needs, already computed.
public struct ChallengeTask: Sendable, Hashable {
    /// "http-01" or "dns-01".
    public var type: String
    /// The identifier without the wildcard label (`*.lab.test` → `lab.test`).
    public var domain: String
    public var isWildcard: Bool
    public var token: String
    /// token "." thumbprint (RFC 8555 §8.1): the HTTP-01 response body, lego's RAW `keyAuth`.
    public var keyAuthorization: String

    public init(type: String, domain: String, isWildcard: Bool, token: String, keyAuthorization: String) {
        self.type = type
        self.domain = domain
        self.isWildcard = isWildcard
        self.token = token
        self.keyAuthorization = keyAuthorization
    }

    /// `_acme-challenge.<domain>.` with the trailing dot, as lego's `fqdn`.
    public var dnsRecordName: String { "_acme-challenge.\(domain)." }
    /// base64url(SHA-256(keyAuthorization)) (RFC 8555 §8.4): the TXT record's value.
    public var dnsTXTValue: String { Base64URL.encode(SHA256.hash(data: Data(keyAuthorization.utf8))) }
    /// `/.well-known/acme-challenge/<token>` (RFC 8555 §8.3).
    public var httpPath: String { "/.well-known/acme-challenge/\(token)" }
}

/// Makes a challenge answerable (`present`) and removes the traces afterwards (`cleanUp`).
/// Implementations: `HTTP01Server`, `WebrootHTTP01Solver` and the DNS-01 providers.
public protocol ChallengeSolver: Sendable {
    /// "http-01" or "dns-01".
    var challengeType: String { get }
    /// Time to wait after presenting and before asking the CA to validate (DNS propagation).
    var propagationDelay: Duration { get }
    /// Whether this solver is responsible for `domain` (e.g. a DNS provider for one zone only).
    func canSolve(domain: String) -> Bool
    func present(_ task: ChallengeTask) async throws
    /// Best effort: a failed clean-up must not fail an issuance that already succeeded.
    func cleanUp(_ task: ChallengeTask) async
}

extension ChallengeSolver {
    public var propagationDelay: Duration { .zero }
    public func canSolve(domain: String) -> Bool { true }
}

/// A thread-safe box for solver state (tokens, record ids) shared with NIO handlers.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
