import Foundation

extension ChannelURL {
    static func parseSMTP(_ url: inout ParsedURL) throws(ChannelURLError) -> SMTPChannel {
        let host = try url.requireHost("the SMTP server")
        let from = url.query.value("from", "fromaddress") ?? ""
        guard isMailbox(from) else { throw ChannelURLError(part: "from", reason: "must be one e-mail address") }
        let to = url.query.list("to", "toaddresses")
        guard !to.isEmpty else { throw ChannelURLError(part: "to", reason: "needs at least one recipient") }
        if let bad = to.first(where: { !isMailbox($0) }) {
            throw ChannelURLError(part: "to", reason: "'\(bad)' is not an e-mail address")
        }
        let port = url.port ?? 587
        let encryption: SMTPEncryption
        switch url.query.value("encryption")?.lowercased() {
        case nil, "auto": encryption = port == 465 ? .implicit : .starttls
        case "starttls", "explicittls", "explicit": encryption = .starttls
        case "implicit", "implicittls", "tls", "ssl": encryption = .implicit
        case "none": encryption = .none
        case let other?: throw ChannelURLError(part: "encryption", reason: "'\(other)' must be starttls, implicit or none")
        }
        let auth: SMTPAuthMethod
        switch url.query.value("auth")?.lowercased() {
        case nil: auth = url.user == nil ? .none : .plain
        case "plain": auth = .plain
        case "login": auth = .login
        case "none": auth = .none
        case let other?: throw ChannelURLError(part: "auth", reason: "'\(other)' must be plain, login or none")
        }
        if auth != .none && (url.user == nil || url.password == nil) {
            throw ChannelURLError(part: "user", reason: "auth needs user:password@ in the URL")
        }
        return SMTPChannel(
            host: host, port: port, username: url.user, password: url.password, from: from,
            fromName: url.query.value("fromname"), to: to, encryption: encryption, auth: auth,
            heloName: url.query.value("helo", "clienthost") ?? "unity.localdomain"
        )
    }

    static func isMailbox(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        // CR/LF or angle brackets would let a recipient inject SMTP commands or headers.
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !text.contains { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," }
    }

    static func parseWebhook(_ url: inout ParsedURL, scheme: String) throws(ChannelURLError) -> WebhookChannel {
        let host = try url.requireHost("the webhook receiver")
        let secret = url.query.value("secret", "hmacsecret")
        let disableTLS = try url.query.flag("disabletls")
        let target = switch scheme {
        case "http", "generic+http": "http"
        case "generic": disableTLS ? "http" : "https"
        default: "https"
        }
        var components = URLComponents()
        components.scheme = target
        components.host = host
        components.port = url.port
        components.user = url.user
        components.password = url.password
        components.path = "/" + url.pathSegments.joined(separator: "/")
        let passThrough = url.query.unused
        if !passThrough.isEmpty { components.queryItems = passThrough.map { URLQueryItem(name: $0.key, value: $0.value) } }
        guard let built = components.url else { throw ChannelURLError(part: "url", reason: "is not a valid webhook URL") }
        return WebhookChannel(url: built, secret: secret?.isEmpty == true ? nil : secret)
    }

    static func parseNtfy(_ url: inout ParsedURL) throws(ChannelURLError) -> NtfyChannel {
        _ = try url.requireHost("the ntfy server, e.g. ntfy.sh")
        guard url.pathSegments.count == 1, let topic = url.pathSegments.first else {
            throw ChannelURLError(part: "topic", reason: "the path must be exactly one topic name")
        }
        let disableTLS = try url.query.flag("disabletls")
        let scheme = url.query.value("scheme")?.lowercased() ?? (disableTLS ? "http" : "https")
        guard scheme == "http" || scheme == "https" else { throw ChannelURLError(part: "query.scheme", reason: "must be http or https") }
        guard let server = URL(string: "\(scheme)://\(url.hostAndPort)") else { throw ChannelURLError(part: "host", reason: "is not valid") }
        var priority: Int?
        if let raw = url.query.value("priority")?.lowercased() {
            let names = ["min": 1, "low": 2, "default": 3, "high": 4, "max": 5, "urgent": 5]
            guard let number = names[raw] ?? Int(raw), (1...5).contains(number) else {
                throw ChannelURLError(part: "query.priority", reason: "must be 1-5 or min, low, default, high, max")
            }
            priority = number
        }
        return NtfyChannel(server: server, topic: topic, username: url.user, password: url.password,
                           priority: priority, tags: url.query.list("tags"))
    }

    static func parseGotify(_ url: inout ParsedURL) throws(ChannelURLError) -> GotifyChannel {
        _ = try url.requireHost("the Gotify server")
        guard let token = url.pathSegments.last else { throw ChannelURLError(part: "token", reason: "the last path segment must be the app token") }
        let scheme = try url.query.flag("disabletls") ? "http" : "https"
        let subPath = url.pathSegments.dropLast().map { "/" + $0 }.joined()
        guard let server = URL(string: "\(scheme)://\(url.hostAndPort)\(subPath)") else { throw ChannelURLError(part: "host", reason: "is not valid") }
        return GotifyChannel(server: server, appToken: token, priority: try url.query.int("priority", in: 0...10))
    }

    static func parseDiscord(_ url: inout ParsedURL) throws(ChannelURLError) -> DiscordChannel {
        guard let token = url.user, url.password == nil else { throw ChannelURLError(part: "token", reason: "missing (discord://token@webhookID)") }
        guard !url.host.isEmpty, url.host.allSatisfy(\.isNumber) else {
            throw ChannelURLError(part: "webhook_id", reason: "must be the numeric webhook id (discord://token@webhookID)")
        }
        return DiscordChannel(apiBase: try url.query.apiBase(default: "https://discord.com"), webhookID: url.host, token: token)
    }

    static func parseSlack(_ url: inout ParsedURL) throws(ChannelURLError) -> SlackChannel {
        let apiBase: URL
        let botName = url.query.value("botname", "username")
        if url.password == nil, !url.host.isEmpty, url.pathSegments.count == 2 {
            // Legacy slack://T…/B…/X… (the webhook URL with its prefix cut off).
            apiBase = try url.query.apiBase(default: "https://hooks.slack.com")
            return SlackChannel(apiBase: apiBase, mode: .webhook, token: ([url.host] + url.pathSegments).joined(separator: "/"), botName: botName ?? url.user)
        }
        guard let kind = url.user?.lowercased(), let token = url.password else {
            throw ChannelURLError(part: "token", reason: "missing (slack://hook:T…-B…-X…@webhook or slack://xoxb:token@channel)")
        }
        switch kind {
        case "hook":
            let parts = token.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
                throw ChannelURLError(part: "token", reason: "a webhook token is three parts T…-B…-X…")
            }
            apiBase = try url.query.apiBase(default: "https://hooks.slack.com")
            return SlackChannel(apiBase: apiBase, mode: .webhook, token: parts.joined(separator: "/"), botName: botName)
        case "xoxb", "xoxp":
            guard !url.host.isEmpty, url.host != "webhook" else { throw ChannelURLError(part: "channel", reason: "missing (slack://xoxb:token@C0123ABC)") }
            apiBase = try url.query.apiBase(default: "https://slack.com")
            return SlackChannel(apiBase: apiBase, mode: .api(channel: url.host.uppercased()), token: "\(kind)-\(token)", botName: botName)
        default:
            throw ChannelURLError(part: "token", reason: "type '\(kind)' must be hook, xoxb or xoxp")
        }
    }

    static func parseTelegram(_ url: inout ParsedURL) throws(ChannelURLError) -> TelegramChannel {
        // The bot token "123456:ABC…" lands in user:password because of its colon.
        guard let id = url.user, let secret = url.password, id.allSatisfy(\.isNumber) else {
            throw ChannelURLError(part: "token", reason: "missing or malformed (telegram://123456:ABC…@telegram?chats=…)")
        }
        guard url.host.lowercased() == "telegram" else { throw ChannelURLError(part: "host", reason: "must be 'telegram'") }
        let chats = url.query.list("chats", "channels")
        guard !chats.isEmpty else { throw ChannelURLError(part: "chats", reason: "needs at least one chat id or @channel") }
        return TelegramChannel(apiBase: try url.query.apiBase(default: "https://api.telegram.org"), botToken: "\(id):\(secret)", chats: chats)
    }

    static func parsePushover(_ url: inout ParsedURL) throws(ChannelURLError) -> PushoverChannel {
        guard let token = url.password else { throw ChannelURLError(part: "token", reason: "missing (pushover://shoutrrr:appToken@userKey/)") }
        guard !url.host.isEmpty else { throw ChannelURLError(part: "user_key", reason: "missing (pushover://shoutrrr:appToken@userKey/)") }
        // URL hosts are lowercased by some parsers, but Pushover keys are case-sensitive; they
        // are already lowercase-alphanumeric in practice, so keep what the user typed.
        return PushoverChannel(
            apiBase: try url.query.apiBase(default: "https://api.pushover.net"), appToken: token, userKey: url.host,
            devices: url.query.list("devices"), priority: try url.query.int("priority", in: -2...1)
        )
    }

    static func parseMatrix(_ url: inout ParsedURL) throws(ChannelURLError) -> MatrixChannel {
        _ = try url.requireHost("the homeserver")
        guard let password = url.password else { throw ChannelURLError(part: "password", reason: "missing (a password with user:, or an access token alone)") }
        let scheme = try url.query.flag("disabletls") ? "http" : "https"
        guard let server = URL(string: "\(scheme)://\(url.hostAndPort)") else { throw ChannelURLError(part: "host", reason: "is not valid") }
        // As in shoutrrr, an alias may be written without its '#' (which would start a fragment).
        let rooms = url.query.list("rooms", "room").map { $0.hasPrefix("!") || $0.hasPrefix("#") ? $0 : "#" + $0 }
        guard !rooms.isEmpty else { throw ChannelURLError(part: "rooms", reason: "name at least one room id (!id:server) or alias (room:server)") }
        if let bad = rooms.first(where: { !$0.contains(":") || $0.count < 4 }) {
            throw ChannelURLError(part: "rooms", reason: "'\(bad)' is neither !id:server nor alias:server")
        }
        return MatrixChannel(server: server, user: url.user, password: password, rooms: rooms)
    }
}
