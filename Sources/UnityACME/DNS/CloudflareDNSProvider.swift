import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// DNS-01 through the Cloudflare API v4 with a scoped API token (Zone:Read + DNS:Edit).
/// The zone is found by walking up the record name (`GET /zones?name=`) unless `zoneID` is given;
/// each TXT record's id is remembered so clean-up deletes exactly what `present` created.
public struct CloudflareDNSProvider: ChallengeSolver {
    public static let defaultBaseURL = "https://api.cloudflare.com/client/v4"

    public let challengeType = "dns-01"
    public var baseURL: String
    public var zoneID: String?
    public var ttl: Int
    public var propagationDelay: Duration
    private let apiToken: String
    private let transport: HTTPTransport
    private let created = LockedBox<[ChallengeTask: (zone: String, record: String)]>([:])

    public init(apiToken: String, zoneID: String? = nil, baseURL: String = defaultBaseURL, ttl: Int = 120,
                propagationDelay: Duration = .seconds(10), httpClient: HTTPClient) {
        self.apiToken = apiToken
        self.zoneID = zoneID
        self.baseURL = baseURL
        self.ttl = ttl
        self.propagationDelay = propagationDelay
        self.transport = HTTPTransport(client: httpClient)
    }

    public func present(_ task: ChallengeTask) async throws {
        let zone = try await findZone(for: task.domain)
        let name = String(task.dnsRecordName.dropLast())  // Cloudflare names have no trailing dot
        let body: [String: Any] = ["type": "TXT", "name": name, "content": task.dnsTXTValue, "ttl": ttl]
        let result = try await call(.POST, "/zones/\(zone)/dns_records",
                                    body: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        guard let record = (result["result"] as? [String: Any])?["id"] as? String else {
            throw DNSProviderError(provider: "cloudflare", message: "created record has no id")
        }
        created.withLock { $0[task] = (zone, record) }
    }

    public func cleanUp(_ task: ChallengeTask) async {
        guard let entry = created.withLock({ $0.removeValue(forKey: task) }) else { return }
        _ = try? await call(.DELETE, "/zones/\(entry.zone)/dns_records/\(entry.record)")
    }

    /// The closest enclosing zone the token can see: `a.b.example.org` tries `a.b.example.org`,
    /// `b.example.org`, `example.org`.
    func findZone(for domain: String) async throws -> String {
        if let zoneID { return zoneID }
        var labels = domain.split(separator: ".").map(String.init)
        while labels.count >= 2 {
            let candidate = labels.joined(separator: ".")
            let query = candidate.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? candidate
            let result = try await call(.GET, "/zones?name=\(query)&status=active")
            if let zones = result["result"] as? [[String: Any]], let id = zones.first?["id"] as? String {
                return id
            }
            labels.removeFirst()
        }
        throw DNSProviderError(provider: "cloudflare", message: "no zone visible to the token contains \(domain)")
    }

    /// One API call; Cloudflare reports failures as `{"success": false, "errors": [{code, message}]}`.
    private func call(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> [String: Any] {
        var headers = [("Authorization", "Bearer \(apiToken)")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let result = try await transport.send(method, joinURL(baseURL, path), body: body, headers: headers)
        let object = (try? JSONSerialization.jsonObject(with: result.body)) as? [String: Any] ?? [:]
        guard (200..<300).contains(result.status), object["success"] as? Bool == true else {
            let errors = (object["errors"] as? [[String: Any]] ?? [])
                .map { "\($0["code"].map { "\($0)" } ?? "?") \($0["message"] as? String ?? "")" }
            let detail = errors.isEmpty ? String(result.text.prefix(300)) : errors.joined(separator: "; ")
            throw DNSProviderError(provider: "cloudflare", message: "HTTP \(result.status) \(method) \(path): \(detail)")
        }
        return object
    }
}
