import Crypto
import Foundation

extension ACMEClient {
    /// newOrder (§7.4). `replaces` is the ARI certificate id of the certificate being renewed
    /// (RFC 9773 §5); servers without ARI ignore it, so it is sent only when the directory has ARI.
    public func newOrder(identifiers: [ACMEIdentifier], replaces: String? = nil) async throws -> ACMEOrder {
        let directory = try await directory()
        var payload: [String: Any] = [
            "identifiers": identifiers.map { ["type": $0.type, "value": $0.value] },
        ]
        if let replaces, directory.renewalInfo != nil { payload["replaces"] = replaces }
        let result = try await post(directory.newOrder, payload: try Self.json(payload))
        guard let location = result.headers.first(name: "Location") else {
            throw ACMEError.missingHeader("Location")
        }
        var order = try Self.decode(ACMEOrder.self, result)
        order.url = location
        return order
    }

    public func fetchOrder(url: String) async throws -> ACMEOrder {
        var order = try Self.decode(ACMEOrder.self, try await postAsGet(url))
        order.url = url
        return order
    }

    public func fetchAuthorization(url: String) async throws -> ACMEAuthorization {
        var authorization = try Self.decode(ACMEAuthorization.self, try await postAsGet(url))
        authorization.url = url
        return authorization
    }

    /// Tells the CA the challenge is ready to be validated (§7.5.1): the payload is `{}`.
    @discardableResult
    public func respond(to challenge: ACMEChallenge) async throws -> ACMEChallenge {
        try Self.decode(ACMEChallenge.self, try await post(challenge.url, payload: Data("{}".utf8)))
    }

    /// token "." base64url(JWK thumbprint) (§8.1).
    public func keyAuthorization(token: String) throws -> String {
        "\(token).\(try accountKey.thumbprint())"
    }

    /// Polls an authorization until it leaves `pending`; throws with the CA's error when invalid.
    public func waitForAuthorization(url: String) async throws -> ACMEAuthorization {
        try await poll(what: "authorization \(url)") {
            let authorization = try await self.fetchAuthorization(url: url)
            switch authorization.status {
            case "valid": return authorization
            case "pending": return nil
            default:
                throw ACMEError.authorizationFailed(identifier: authorization.identifier.value,
                                                    problem: authorization.failure)
            }
        }
    }

    /// Polls an order until its status is one of `statuses`; throws with the order's error when invalid.
    public func waitForOrder(url: String, until statuses: Set<String>) async throws -> ACMEOrder {
        try await poll(what: "order \(url)") {
            let order = try await self.fetchOrder(url: url)
            if statuses.contains(order.status) { return order }
            if order.status == "invalid" { throw ACMEError.orderFailed(status: order.status, problem: order.error) }
            return nil
        }
    }

    /// Sends the CSR (DER) to the order's finalize URL (§7.4) and waits for `valid`.
    public func finalize(order: ACMEOrder, csrDER: [UInt8]) async throws -> ACMEOrder {
        let payload = try Self.json(["csr": Base64URL.encode(csrDER)])
        _ = try await post(order.finalize, payload: payload)
        return try await waitForOrder(url: order.url, until: ["valid"])
    }

    /// The PEM chain (leaf first) of a valid order (§7.4.2).
    public func downloadCertificate(url: String) async throws -> String {
        let result = try await postAsGet(url, accept: "application/pem-certificate-chain")
        let pem = result.text
        guard pem.contains("-----BEGIN CERTIFICATE-----") else {
            throw ACMEError.malformedResponse("certificate download is not PEM")
        }
        return pem
    }

    /// Backoff from 0.25 s doubling up to `maxPollInterval`, or the server's `Retry-After`
    /// when it sent one, until `pollTimeout`.
    func poll<T: Sendable>(what: String, _ check: @Sendable () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(pollTimeout)
        var delay: TimeInterval = 0.25
        while true {
            if let value = try await check() { return value }
            let wait = min(lastRetryAfter ?? delay, maxPollInterval)
            guard Date().addingTimeInterval(wait) < deadline else { throw ACMEError.timeout(what) }
            try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            delay = min(delay * 2, maxPollInterval)
        }
    }
}
