import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1

/// An RFC 8555 client for one account at one CA. It keeps the directory and a pool of nonces;
/// every signed request is retried once on `badNonce` with the nonce that error carried (§6.5).
/// The HTTPClient is the caller's (see `ACMEHTTPClientFactory`): the caller shuts it down.
public actor ACMEClient {
    public let directoryURL: String
    public private(set) var accountKey: ACMEAccountKey
    /// The account URL (`kid`), set by `register`/`lookUpAccount` or passed in from storage.
    public private(set) var accountURL: String?
    /// How many requests were retried after a `badNonce` (tests and metrics read it).
    public private(set) var badNonceRetries = 0
    /// Deadline and pacing of authorization/order polling.
    public var pollTimeout: TimeInterval = 120
    public var maxPollInterval: TimeInterval = 5

    let transport: HTTPTransport
    let logger: Logger
    private var cachedDirectory: ACMEDirectory?
    private var nonces: [String] = []
    /// `Retry-After` of the last signed response, which paces polling (§7.5.1, §8.2).
    var lastRetryAfter: TimeInterval?

    public init(directoryURL: String, accountKey: ACMEAccountKey, accountURL: String? = nil,
                httpClient: HTTPClient, logger: Logger = Logger(label: "unity.acme")) {
        self.directoryURL = directoryURL
        self.accountKey = accountKey
        self.accountURL = accountURL
        self.transport = HTTPTransport(client: httpClient)
        self.logger = logger
    }

    public func directory() async throws -> ACMEDirectory {
        if let cachedDirectory { return cachedDirectory }
        let result = try await transport.send(.GET, directoryURL)
        guard result.status == 200 else { throw Self.failure(result) }
        let directory = try Self.decode(ACMEDirectory.self, result)
        cachedDirectory = directory
        return directory
    }

    // MARK: nonces and signed requests

    private func takeNonce() async throws -> String {
        // The newest nonce first: after a badNonce error that is the one the error brought.
        if let nonce = nonces.popLast() { return nonce }
        let result = try await transport.send(.HEAD, try await directory().newNonce)
        guard let nonce = result.headers.first(name: "Replay-Nonce") else {
            throw ACMEError.missingHeader("Replay-Nonce")
        }
        return nonce
    }

    private func keep(nonceFrom result: HTTPResult) {
        guard let nonce = result.headers.first(name: "Replay-Nonce"), !nonce.isEmpty else { return }
        nonces.append(nonce)
        if nonces.count > 16 { nonces.removeFirst() }
    }

    /// A JWS-signed POST. `payload == nil` is POST-as-GET. Problem documents are thrown as `ACMEProblem`.
    func post(_ url: String, payload: Data?, signer: FlattenedJWS.Signer? = nil,
              key: ACMEAccountKey? = nil, accept: String? = nil) async throws -> HTTPResult {
        let signer = try signer ?? accountSigner()
        var retried = false
        while true {
            let nonce = try await takeNonce()
            let jws = try FlattenedJWS.sign(key: key ?? accountKey, signer: signer, nonce: nonce,
                                            url: url, payload: payload)
            var headers = [("Content-Type", "application/jose+json")]
            if let accept { headers.append(("Accept", accept)) }
            let result = try await transport.send(.POST, url, body: try jws.jsonData(), headers: headers)
            keep(nonceFrom: result)
            lastRetryAfter = result.retryAfter
            guard result.status >= 400 else { return result }
            if let problem = result.problem, problem.isBadNonce, !retried {
                retried = true
                badNonceRetries += 1
                logger.debug("badNonce from \(url); retrying once with the fresh nonce")
                continue
            }
            throw Self.failure(result)
        }
    }

    func postAsGet(_ url: String, accept: String? = nil) async throws -> HTTPResult {
        try await post(url, payload: nil, accept: accept)
    }

    func accountSigner() throws -> FlattenedJWS.Signer {
        guard let accountURL else { throw ACMEError.noAccount }
        return .kid(accountURL)
    }

    /// Puts a nonce the server never issued into the pool, to exercise the badNonce retry.
    func injectNonceForTesting(_ nonce: String) {
        nonces.append(nonce)
    }

    func replaceAccountKey(_ key: ACMEAccountKey) {
        accountKey = key
    }

    func setAccountURL(_ url: String) {
        accountURL = url
    }

    // MARK: helpers

    static func failure(_ result: HTTPResult) -> any Error {
        if let problem = result.problem { return problem }
        return ACMEError.http(status: result.status, url: result.url, body: result.text)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ result: HTTPResult) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: result.body)
        } catch {
            throw ACMEError.malformedResponse("\(T.self) from \(result.url): \(error)")
        }
    }

    static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
