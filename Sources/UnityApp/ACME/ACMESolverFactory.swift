import AsyncHTTPClient
import Foundation
import UnityACME
import UnityCore

/// Turns an order's stored challenge settings into UnityACME solvers. Provider secrets are opened
/// here, just before use, and never leave the process.
enum ACMESolverFactory {
    static let dnsProviders = ["cloudflare", "rfc2136", "acme-dns", "httpreq", "exec"]

    /// Checks a provider config when the order is created, so a typo fails the request, not the
    /// first renewal months later.
    static func validate(_ body: DNSProviderBody) throws {
        guard dnsProviders.contains(body.type) else {
            throw APIError.validation("dns_provider.type", "one of \(dnsProviders.joined(separator: ", "))")
        }
        _ = try dnsSolver(type: body.type, settings: body.settings ?? [:], secrets: body.secrets ?? [:],
                          httpClient: nil)
    }

    /// The solvers for one attempt plus what must be stopped afterwards (the HTTP-01 listener).
    static func solvers(for order: ACMEOrderRecord, secrets box: SecretBox,
                        httpClient: HTTPClient) async throws -> (solvers: [any ChallengeSolver], server: HTTP01Server?) {
        if order.challenge == "http-01" {
            // Unity's own listener, only for the duration of the attempt: port 80 is usually
            // free on a homelab host, and a per-order port lets a reverse proxy forward to it.
            let server = HTTP01Server(host: order.httpHost ?? "0.0.0.0", port: order.httpPort ?? 80)
            try await server.start()
            return ([server], server)
        }
        let settings = order.dnsSettings.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
        let secrets = try order.sealedDNSSecrets.map {
            try JSONDecoder().decode([String: String].self,
                                     from: Data(try box.openString($0, purpose: ACMEOrderRecord.dnsSecretsPurpose).utf8))
        } ?? [:]
        return ([try dnsSolver(type: order.dnsProvider ?? "", settings: settings, secrets: secrets, httpClient: httpClient)], nil)
    }

    /// `httpClient == nil` only validates: providers that need a client get a throwaway check.
    private static func dnsSolver(type: String, settings: [String: String], secrets: [String: String],
                                  httpClient: HTTPClient?) throws -> any ChallengeSolver {
        func need(_ key: String, in values: [String: String], _ field: String) throws -> String {
            guard let value = values[key], !value.isEmpty else {
                throw APIError.validation("dns_provider.\(field).\(key)", "is required for \(type)")
            }
            return value
        }
        let delay = Duration.seconds(Int(settings["propagation_seconds"] ?? "") ?? 0)
        let client = httpClient ?? HTTPClient.shared
        switch type {
        case "cloudflare":
            return CloudflareDNSProvider(apiToken: try need("api_token", in: secrets, "secrets"), zoneID: settings["zone_id"],
                                         propagationDelay: delay, httpClient: client)
        case "rfc2136":
            let port = Int(settings["port"] ?? "53") ?? 53
            do {
                return try RFC2136DNSProvider(server: try need("server", in: settings, "settings"), port: port,
                                              zone: try need("zone", in: settings, "settings"),
                                              tsigKeyName: try need("tsig_key_name", in: settings, "settings"),
                                              tsigSecret: try need("tsig_secret", in: secrets, "secrets"),
                                              transport: settings["transport"] == "tcp" ? .tcp : .udp, propagationDelay: delay)
            } catch let error as DNSProviderError {
                throw APIError.validation("dns_provider.secrets.tsig_secret", error.message)
            }
        case "acme-dns":
            let account = ACMEDNSProvider.Account(username: try need("username", in: secrets, "secrets"),
                                                  password: try need("password", in: secrets, "secrets"),
                                                  subdomain: try need("subdomain", in: settings, "settings"))
            let domain = try need("domain", in: settings, "settings")
            return ACMEDNSProvider(serverURL: try need("server_url", in: settings, "settings"), accounts: [domain: account],
                                   propagationDelay: delay, httpClient: client)
        case "httpreq":
            return HTTPRequestDNSProvider(endpoint: try need("endpoint", in: settings, "settings"),
                                          mode: settings["mode"] == "raw" ? .raw : .default, username: secrets["username"],
                                          password: secrets["password"], propagationDelay: delay, httpClient: client)
        case "exec":
            // The secrets become the program's environment (lego's exec convention).
            return ExecDNSProvider(program: try need("program", in: settings, "settings"),
                                   mode: settings["mode"] == "raw" ? .raw : .default, environment: secrets, propagationDelay: delay)
        default:
            throw APIError.validation("dns_provider.type", "one of \(dnsProviders.joined(separator: ", "))")
        }
    }
}
