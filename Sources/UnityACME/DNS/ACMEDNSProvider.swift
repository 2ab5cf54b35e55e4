import AsyncHTTPClient
import Foundation

/// DNS-01 through an acme-dns server (joohoi/acme-dns): `_acme-challenge.<domain>` is a CNAME to
/// `<subdomain>.<acme-dns zone>`, and Unity POSTs the TXT value to `/update`. acme-dns keeps the two
/// latest values per subdomain, which covers `example.org` + `*.example.org` in one order, and has
/// no delete: clean-up is a no-op.
public struct ACMEDNSProvider: ChallengeSolver {
    /// The credentials `POST /register` returned for one domain.
    public struct Account: Sendable, Codable, Equatable {
        public var username: String
        public var password: String
        public var subdomain: String

        public init(username: String, password: String, subdomain: String) {
            self.username = username
            self.password = password
            self.subdomain = subdomain
        }
    }

    public let challengeType = "dns-01"
    public var serverURL: String
    /// Domain (without `*.`) → account; the app seals the passwords.
    public var accounts: [String: Account]
    public var propagationDelay: Duration
    private let transport: HTTPTransport

    public init(serverURL: String, accounts: [String: Account], propagationDelay: Duration = .zero,
                httpClient: HTTPClient) {
        self.serverURL = serverURL
        self.accounts = accounts
        self.propagationDelay = propagationDelay
        self.transport = HTTPTransport(client: httpClient)
    }

    public func canSolve(domain: String) -> Bool { accounts[domain] != nil }

    public func present(_ task: ChallengeTask) async throws {
        guard let account = accounts[task.domain] else {
            throw DNSProviderError(provider: "acme-dns", message: "no acme-dns account for \(task.domain)")
        }
        _ = try await transport.postJSON(
            joinURL(serverURL, "/update"), ["subdomain": account.subdomain, "txt": task.dnsTXTValue],
            headers: [("X-Api-User", account.username), ("X-Api-Key", account.password)], provider: "acme-dns")
    }

    public func cleanUp(_ task: ChallengeTask) async {}
}
