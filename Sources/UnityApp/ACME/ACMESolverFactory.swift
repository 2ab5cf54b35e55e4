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
    static func validate(_ body: DNSProviderBody, hooks: String?) throws {
        guard dnsProviders.contains(body.type) else {
            throw APIError.validation("dns_provider.type", "one of \(dnsProviders.joined(separator: ", "))")
        }
        _ = try dnsSolver(type: body.type, settings: body.settings ?? [:], secrets: body.secrets ?? [:],
                          hooks: hooks, httpClient: nil)
    }

    /// The solvers for one attempt plus what must be stopped afterwards (the HTTP-01 listener).
    static func solvers(for order: ACMEOrderRecord, secrets box: SecretBox, hooks: String?,
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
                                     from: Data(try ACMEOrderRecord.dnsSecretsColumn.open($0, id: order.requireID(), in: box).utf8))
        } ?? [:]
        return ([try dnsSolver(type: order.dnsProvider ?? "", settings: settings, secrets: secrets, hooks: hooks, httpClient: httpClient)], nil)
    }

    /// `httpClient == nil` only validates: providers that need a client get a throwaway check.
    private static func dnsSolver(type: String, settings: [String: String], secrets: [String: String], hooks: String?,
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
            return try execHook(settings: settings, secrets: secrets, hooks: hooks, delay: delay)
        default:
            throw APIError.validation("dns_provider.type", "one of \(dnsProviders.joined(separator: ", "))")
        }
    }

    static let execSettings: Set = ["hook", "mode", "propagation_seconds"]

    /// No API input names a program or an environment variable for the Unity host: the hook is a
    /// file an admin put in `UNITY_DNS_HOOKS_DIR`, found again by name at every attempt, and the
    /// secrets (lego's exec convention: they become the hook's environment) only have `HOOK_` names.
    private static func execHook(settings: [String: String], secrets: [String: String], hooks: String?,
                                 delay: Duration) throws -> ExecDNSProvider {
        if settings["program"] != nil {
            throw APIError.validation("dns_provider.settings.program",
                                      "is not accepted: exec runs only hooks an admin put in UNITY_DNS_HOOKS_DIR; name one with settings.hook")
        }
        if let unknown = settings.keys.sorted().first(where: { !execSettings.contains($0) }) {
            throw APIError.validation("dns_provider.settings.\(unknown)", "is not a setting of exec (\(execSettings.sorted().joined(separator: ", ")))")
        }
        if let refused = secrets.keys.sorted().first(where: { !ExecDNSProvider.isAllowedVariable($0) }) {
            throw APIError.validation("dns_provider.secrets.\(refused)",
                                      "exec secrets are passed to the hook as \(ExecDNSProvider.variablePrefix) + capitals, digits and underscores only")
        }
        guard let name = settings["hook"], !name.isEmpty else {
            throw APIError.validation("dns_provider.settings.hook", "is required for exec: the file name of a hook in UNITY_DNS_HOOKS_DIR")
        }
        guard let hooks else {
            throw APIError.validation("dns_provider.settings.hook", "exec hooks are off: an admin sets UNITY_DNS_HOOKS_DIR")
        }
        do {
            let program = try DNSHookDirectory(path: hooks).program(for: name)
            return ExecDNSProvider(program: program, mode: settings["mode"] == "raw" ? .raw : .default, environment: secrets,
                                   propagationDelay: delay)
        } catch {
            throw APIError.validation("dns_provider.settings.hook", error.description)
        }
    }
}
