import Foundation

/// What to issue.
public struct CertificateOrderRequest: Sendable {
    public var identifiers: [ACMEIdentifier]
    public var keyType: CertificateKeyType
    /// ARI id of the certificate this one replaces (RFC 9773), when renewing.
    public var replaces: String?

    public init(names: [String], keyType: CertificateKeyType = .p256, replaces: String? = nil) {
        self.identifiers = names.map { name in
            IPAddressBytes.parse(name) != nil ? .ip(name) : .dns(name)
        }
        self.keyType = keyType
        self.replaces = replaces
    }
}

/// Where an issuance is, for callers that show progress (the app's ACME jobs).
public enum IssuancePhase: String, Sendable {
    case ordering, presentingChallenges = "presenting_challenges", validating, finalizing, downloading
}

/// The outcome of a successful order. The app seals `privateKeyPEM` and stores the rest.
public struct IssuedCertificate: Sendable {
    public var chainPEM: String
    public var privateKeyPEM: String
    public var orderURL: String
    public var certificateURL: String
    public var info: CertificateInfo
}

extension ACMEClient {
    /// The whole flow of RFC 8555 §7.4–7.5: newOrder, one solver per authorization (the first of
    /// `solvers` that offers a matching challenge type and accepts the domain; wildcards need
    /// dns-01), present all, respond, wait, finalize with a fresh key, download the chain.
    /// Solvers are cleaned up on every path. Errors carry the CA's problem text.
    public func issueCertificate(_ request: CertificateOrderRequest, solvers: [any ChallengeSolver],
                                 progress: @Sendable (IssuancePhase) async -> Void = { _ in }) async throws -> IssuedCertificate {
        await progress(.ordering)
        let order = try await newOrder(identifiers: request.identifiers, replaces: request.replaces)
        var presented: [(any ChallengeSolver, ChallengeTask)] = []
        do {
            var toRespond: [(ACMEChallenge, String)] = []
            await progress(.presentingChallenges)
            for url in order.authorizations {
                let authorization = try await fetchAuthorization(url: url)
                if authorization.status == "valid" { continue }  // reused by the CA
                let (solver, challenge) = try pick(solvers, for: authorization)
                let task = ChallengeTask(
                    type: challenge.type, domain: authorization.identifier.value,
                    isWildcard: authorization.wildcard ?? false, token: challenge.token ?? "",
                    keyAuthorization: try keyAuthorization(token: challenge.token ?? ""))
                try await solver.present(task)
                presented.append((solver, task))
                toRespond.append((challenge, url))
            }
            let delay = presented.map(\.0.propagationDelay).max() ?? .zero
            if delay > .zero { try await Task.sleep(for: delay) }
            await progress(.validating)
            for (challenge, _) in toRespond { try await respond(to: challenge) }
            for (_, url) in toRespond { _ = try await waitForAuthorization(url: url) }
        } catch {
            for (solver, task) in presented { await solver.cleanUp(task) }
            throw error
        }
        for (solver, task) in presented { await solver.cleanUp(task) }

        let ready = try await waitForOrder(url: order.url, until: ["ready", "valid"])
        // A fresh order is never valid before our CSR; if it were, its key would not be ours.
        guard ready.status == "ready" else { throw ACMEError.orderFailed(status: ready.status, problem: ready.error) }
        await progress(.finalizing)
        let key = try CertificateKey(generating: request.keyType)
        let valid = try await finalize(order: ready, csrDER: try key.csrDER(identifiers: request.identifiers))
        guard let certificateURL = valid.certificate else {
            throw ACMEError.malformedResponse("valid order without a certificate URL")
        }
        await progress(.downloading)
        let chain = try await downloadCertificate(url: certificateURL)
        return IssuedCertificate(chainPEM: chain, privateKeyPEM: key.pemRepresentation, orderURL: order.url,
                                 certificateURL: certificateURL, info: try CertificateInfo(pemChain: chain))
    }

    private func pick(_ solvers: [any ChallengeSolver],
                      for authorization: ACMEAuthorization) throws -> (any ChallengeSolver, ACMEChallenge) {
        let domain = authorization.identifier.value
        for solver in solvers where solver.canSolve(domain: domain) {
            if let challenge = authorization.challenges.first(where: { $0.type == solver.challengeType }) {
                return (solver, challenge)
            }
        }
        let name = (authorization.wildcard ?? false) ? "*.\(domain)" : domain
        throw ACMEError.unsupportedChallenge(identifier: name, offered: authorization.challenges.map(\.type))
    }
}
