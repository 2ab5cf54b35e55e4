import AsyncHTTPClient
import Foundation

/// DNS-01 through a user's HTTP endpoint, wire-compatible with lego's `httpreq` provider, so
/// existing endpoints keep working: POST `<endpoint>/present` and `<endpoint>/cleanup` with
/// `{"fqdn": "_acme-challenge.example.org.", "value": "<TXT>"}`, or in RAW mode
/// `{"domain", "token", "keyAuth"}`; optional basic auth (sent only when both parts are set, as lego).
public struct HTTPRequestDNSProvider: ChallengeSolver {
    public enum Mode: String, Sendable, Codable { case `default`, raw }

    public let challengeType = "dns-01"
    public var endpoint: String
    public var mode: Mode
    public var username: String?
    public var password: String?
    public var propagationDelay: Duration
    private let transport: HTTPTransport

    public init(endpoint: String, mode: Mode = .default, username: String? = nil, password: String? = nil,
                propagationDelay: Duration = .zero, httpClient: HTTPClient) {
        self.endpoint = endpoint
        self.mode = mode
        self.username = username
        self.password = password
        self.propagationDelay = propagationDelay
        self.transport = HTTPTransport(client: httpClient)
    }

    /// The JSON body lego would send for `task`.
    public func body(for task: ChallengeTask) -> [String: String] {
        switch mode {
        case .default: ["fqdn": task.dnsRecordName, "value": task.dnsTXTValue]
        case .raw: ["domain": task.domain, "token": task.token, "keyAuth": task.keyAuthorization]
        }
    }

    public func present(_ task: ChallengeTask) async throws {
        _ = try await transport.postJSON(joinURL(endpoint, "/present"), body(for: task), headers: auth,
                                         provider: "httpreq")
    }

    public func cleanUp(_ task: ChallengeTask) async {
        _ = try? await transport.postJSON(joinURL(endpoint, "/cleanup"), body(for: task), headers: auth,
                                          provider: "httpreq")
    }

    private var auth: [(String, String)] {
        guard let username, let password, !username.isEmpty, !password.isEmpty else { return [] }
        return [HTTPTransport.basicAuth(username: username, password: password)]
    }
}
