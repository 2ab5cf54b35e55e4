import Foundation

/// Why a channel URL was refused, naming the part that is wrong (`scheme`, `host`, `token`,
/// `to`, `query.priority`, …) so the API can answer 422 with a pointer. Never contains secrets.
public struct ChannelURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var part: String
    public var reason: String

    public init(part: String, reason: String) {
        self.part = part
        self.reason = reason
    }

    public var description: String { "\(part): \(reason)" }
}


/// Shoutrrr-style channel URLs, as used by Watchtower, Scrutiny and Beszel, so people can paste
/// what they already have. Supported forms (query keys are case-insensitive):
///
/// - `smtp://user:pass@host:port/?from=a@x&to=b@y,c@z&encryption=starttls|implicit|none&auth=plain|login|none`
///   (shoutrrr's `fromaddress`, `toaddresses`, `encryption=explicittls|implicittls|auto` also accepted;
///   auto picks implicit on 465, STARTTLS elsewhere)
/// - `generic+https://host/path?secret=…` or plain `https://host/path` (other query keys are
///   passed through to the webhook URL)
/// - `ntfy://[user:pass@]host[:port]/topic[?scheme=http&priority=4&tags=a,b]`
/// - `gotify://host[:port][/sub/path]/appToken[?disabletls=yes&priority=5]`
/// - `discord://token@webhookID`
/// - `slack://hook:T…-B…-X…@webhook` (incoming webhook), `slack://xoxb:token@C0CHANNEL` (bot API),
///   legacy `slack://T…/B…/X…`
/// - `telegram://botToken@telegram?chats=@channel,12345`
/// - `pushover://shoutrrr:appToken@userKey/?devices=a,b&priority=1`
/// - `matrix://user:password@host[:port]/?rooms=!id:host,#alias:host[&disabletls=yes]`
///   (no user: the password is an access token)
///
/// Unity extensions, for every service: `apiurl=http://127.0.0.1:8080` replaces the fixed API
/// base of Discord, Slack, Telegram and Pushover (tests, self-hosted proxies), and
/// `insecure=yes` skips TLS verification (a trusted CA PEM is a structured field instead).
public enum ChannelURL {
    public static func parse(_ text: String, tls: ChannelTLS = .default) throws(ChannelURLError) -> ChannelConfig {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ChannelURLError(part: "url", reason: "is empty") }
        guard let separator = trimmed.range(of: "://") else {
            throw ChannelURLError(part: "scheme", reason: "missing (expected e.g. smtp://, ntfy://, https://)")
        }
        let scheme = trimmed[..<separator.lowerBound].lowercased()
        // URLComponents needs a scheme it can parse generically; the real one is kept aside.
        guard let components = URLComponents(string: "x://" + trimmed[separator.upperBound...]) else {
            throw ChannelURLError(part: "url", reason: "is not a valid URL (percent-encode special characters in passwords and tokens)")
        }
        var url = ParsedURL(components: components)
        var tls = tls
        let insecure = try url.query.flag("insecure")
        let skipVerify = try url.query.flag("skiptlsverify")
        if insecure || skipVerify { tls.verify = false }
        let service: ChannelService
        switch scheme {
        case "smtp": service = .smtp(try parseSMTP(&url))
        case "generic", "generic+https", "generic+http", "https", "http":
            service = .webhook(try parseWebhook(&url, scheme: scheme))
        case "ntfy": service = .ntfy(try parseNtfy(&url))
        case "gotify": service = .gotify(try parseGotify(&url))
        case "discord": service = .discord(try parseDiscord(&url))
        case "slack": service = .slack(try parseSlack(&url))
        case "telegram": service = .telegram(try parseTelegram(&url))
        case "pushover": service = .pushover(try parsePushover(&url))
        case "matrix": service = .matrix(try parseMatrix(&url))
        default:
            throw ChannelURLError(part: "scheme", reason: "'\(scheme)' is not supported (smtp, generic, https, ntfy, gotify, discord, slack, telegram, pushover, matrix)")
        }
        // Webhooks pass unknown keys through to the target; everywhere else a typo is an error.
        if case .webhook = service {} else { try url.query.rejectUnused() }
        return ChannelConfig(service: service, tls: tls)
    }
}


/// URL parts with the query as a case-insensitive bag that remembers what was read, so unknown
/// keys can be refused by name instead of silently ignored.
struct ParsedURL {
    var user: String?
    var password: String?
    var host: String
    var port: Int?
    var pathSegments: [String]
    var query: QueryBag

    init(components: URLComponents) {
        user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        password = components.password.flatMap { $0.isEmpty ? nil : $0 }
        host = components.host ?? ""
        port = components.port
        pathSegments = components.path.split(separator: "/").map(String.init)
        query = QueryBag(components.queryItems ?? [])
    }

    func requireHost(_ what: String) throws(ChannelURLError) -> String {
        guard !host.isEmpty else { throw ChannelURLError(part: "host", reason: "missing (\(what))") }
        return host
    }

    var hostAndPort: String { port.map { "\(host):\($0)" } ?? host }
}


struct QueryBag {
    private(set) var items: [(key: String, value: String)]
    private var used: Set<String> = []

    init(_ items: [URLQueryItem]) {
        self.items = items.map { ($0.name.lowercased(), $0.value ?? "") }
    }

    mutating func value(_ keys: String...) -> String? {
        for key in keys {
            used.insert(key)
            if let found = items.first(where: { $0.key == key }) { return found.value }
        }
        return nil
    }

    mutating func list(_ keys: String...) -> [String] {
        for key in keys {
            used.insert(key)
            if let found = items.first(where: { $0.key == key }) {
                return found.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }
        return []
    }

    mutating func flag(_ key: String) throws(ChannelURLError) -> Bool {
        guard let raw = value(key)?.lowercased() else { return false }
        switch raw {
        case "yes", "true", "1", "on", "": return true
        case "no", "false", "0", "off": return false
        default: throw ChannelURLError(part: "query.\(key)", reason: "must be yes or no")
        }
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) throws(ChannelURLError) -> Int? {
        guard let raw = value(key) else { return nil }
        guard let number = Int(raw), range.contains(number) else {
            throw ChannelURLError(part: "query.\(key)", reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    mutating func apiBase(default fallback: String) throws(ChannelURLError) -> URL {
        let raw = value("apiurl") ?? fallback
        guard let url = URL(string: raw.hasSuffix("/") ? String(raw.dropLast()) : raw),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw ChannelURLError(part: "query.apiurl", reason: "must be an http(s) URL")
        }
        return url
    }

    /// Keys nobody read, for pass-through (generic webhook).
    var unused: [(key: String, value: String)] { items.filter { !used.contains($0.key) } }

    func rejectUnused() throws(ChannelURLError) {
        if let first = unused.first {
            throw ChannelURLError(part: "query.\(first.key)", reason: "is not a known option for this service")
        }
    }
}
