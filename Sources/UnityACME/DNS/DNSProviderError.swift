import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// A DNS provider refused or failed a change; `message` is what the provider said.
public struct DNSProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public var provider: String
    public var message: String

    public init(provider: String, message: String) {
        self.provider = provider
        self.message = message
    }

    public var description: String { "\(provider): \(message)" }
}

extension HTTPTransport {
    /// POST JSON and require a 2xx answer, for the webhook-style DNS providers.
    func postJSON(_ url: String, _ object: [String: String], headers: [(String, String)] = [],
                  provider: String) async throws -> HTTPResult {
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let result = try await send(.POST, url, body: body,
                                    headers: [("Content-Type", "application/json"), ("Accept", "application/json")] + headers)
        guard (200..<300).contains(result.status) else {
            throw DNSProviderError(provider: provider, message: "HTTP \(result.status) from \(url): \(result.text.prefix(300))")
        }
        return result
    }

    static func basicAuth(username: String, password: String) -> (String, String) {
        ("Authorization", "Basic " + Data("\(username):\(password)".utf8).base64EncodedString())
    }
}

/// Joins a base URL and a path with exactly one slash (Go's `URL.JoinPath`, which lego uses).
func joinURL(_ base: String, _ path: String) -> String {
    var base = base
    while base.hasSuffix("/") { base.removeLast() }
    return base + (path.hasPrefix("/") ? path : "/" + path)
}
