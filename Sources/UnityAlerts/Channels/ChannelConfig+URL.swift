import Foundation

extension ChannelConfig {
    /// What replaces a secret in `redactedURL`.
    public static let mask = "***"

    /// The URL with every secret (passwords, tokens, webhook ids and tokens, HMAC secrets) masked:
    /// the only form that may appear in API responses, logs and the notification log.
    public var redactedURL: String { url(redacted: true) }

    /// The full URL, secrets included, for sealing with the SecretBox. `parse(url(redacted: false))`
    /// gives this config back.
    public var fullURL: String { url(redacted: false) }

    /// Every secret string in this config, for scrubbing error texts from lower layers (an HTTP
    /// client error can quote a URL with a Telegram token in its path).
    public var secrets: [String] {
        let raw: [String?] = switch service {
        case .smtp(let c): [c.password]
        case .webhook(let c): [c.secret, c.url.password] + WebhookRedaction.secretLooking(c.url)
        case .ntfy(let c): [c.password]
        case .gotify(let c): [c.appToken]
        case .discord(let c): [c.token, c.webhookID]
        case .slack(let c): [c.token, String(c.token.dropFirst(5))] + c.token.split(separator: "/").map(String.init)
        case .telegram(let c): [c.botToken, c.botToken.split(separator: ":").last.map(String.init)]
        case .pushover(let c): [c.appToken, c.userKey]
        case .matrix(let c): [c.password]
        }
        return raw.compactMap { $0 }.filter { $0.count >= 4 }
    }

    /// Replaces every secret of this channel in `text` (plain and percent-encoded).
    public func scrub(_ text: String) -> String {
        var text = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) {
            text = text.replacingOccurrences(of: secret, with: Self.mask)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret {
                text = text.replacingOccurrences(of: encoded, with: Self.mask)
            }
        }
        return text
    }

    func url(redacted: Bool) -> String {
        func s(_ secret: String) -> String { redacted ? Self.mask : enc(secret) }
        var query: [(String, String)] = []
        let base: String
        switch service {
        case .smtp(let c):
            let auth = c.username.map { "\(enc($0)):\(s(c.password ?? ""))@" } ?? ""
            base = "smtp://\(auth)\(hostPort(c.host, c.port))/"
            query = [("from", c.from), ("to", c.to.joined(separator: ",")), ("encryption", c.encryption.rawValue), ("auth", c.auth.rawValue)]
            if let name = c.fromName { query.append(("fromname", name)) }
        case .webhook(let c):
            base = "generic+" + (redacted ? WebhookRedaction.redact(c.url) : c.url.absoluteString)
            if let secret = c.secret { query.append(("secret", redacted ? Self.mask : secret)) }
        case .ntfy(let c):
            let auth = c.password.map { "\(enc(c.username ?? "")):\(s($0))@" } ?? ""
            base = "ntfy://\(auth)\(authority(c.server))/\(enc(c.topic))"
            if c.server.scheme == "http" { query.append(("scheme", "http")) }
            if let p = c.priority { query.append(("priority", String(p))) }
            if !c.tags.isEmpty { query.append(("tags", c.tags.joined(separator: ","))) }
        case .gotify(let c):
            base = "gotify://\(authority(c.server))\(c.server.path)/\(s(c.appToken))"
            if c.server.scheme == "http" { query.append(("disabletls", "yes")) }
            if let p = c.priority { query.append(("priority", String(p))) }
        case .discord(let c):
            base = "discord://\(s(c.token))@\(redacted ? Self.mask : c.webhookID)"
            query += apiQuery(c.apiBase, default: "https://discord.com")
        case .slack(let c):
            switch c.mode {
            case .webhook: base = "slack://hook:\(redacted ? Self.mask : c.token.replacingOccurrences(of: "/", with: "-"))@webhook"
            case .api(let channel):
                let kind = c.token.prefix(4)
                base = "slack://\(kind):\(redacted ? Self.mask : enc(String(c.token.dropFirst(5))))@\(channel)"
            }
            if let bot = c.botName { query.append(("botname", bot)) }
            query += apiQuery(c.apiBase, default: c.mode == .webhook ? "https://hooks.slack.com" : "https://slack.com")
        case .telegram(let c):
            base = "telegram://\(redacted ? Self.mask : c.botToken)@telegram"
            query.append(("chats", c.chats.joined(separator: ",")))
            query += apiQuery(c.apiBase, default: "https://api.telegram.org")
        case .pushover(let c):
            base = "pushover://shoutrrr:\(s(c.appToken))@\(redacted ? Self.mask : c.userKey)/"
            if !c.devices.isEmpty { query.append(("devices", c.devices.joined(separator: ","))) }
            if let p = c.priority { query.append(("priority", String(p))) }
            query += apiQuery(c.apiBase, default: "https://api.pushover.net")
        case .matrix(let c):
            let user = c.user.map(enc) ?? ""
            base = "matrix://\(user):\(s(c.password))@\(authority(c.server))/"
            query.append(("rooms", c.rooms.map { $0.hasPrefix("#") ? String($0.dropFirst()) : $0 }.joined(separator: ",")))
            if c.server.scheme == "http" { query.append(("disabletls", "yes")) }
        }
        if !tls.verify { query.append(("insecure", "yes")) }
        guard !query.isEmpty else { return base }
        let separator = base.contains("?") ? "&" : "?"
        return base + separator + query.map { "\($0.0)=\(encQuery($0.1))" }.joined(separator: "&")
    }

    private func apiQuery(_ url: URL, default fallback: String) -> [(String, String)] {
        url.absoluteString == fallback ? [] : [("apiurl", url.absoluteString)]
    }

    private func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private func authority(_ url: URL) -> String {
        let host = url.host ?? ""
        return url.port.map { "\(host):\($0)" } ?? host
    }
}


private func enc(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
}

private func encQuery(_ text: String) -> String {
    if text == ChannelConfig.mask { return text }
    return text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~@,!:"))) ?? text
}


/// Webhook URLs hide their secret in different places: a password, a path segment
/// (Home Assistant `/api/webhook/<id>`), or a query value (`?token=`). Anything that looks like a
/// credential is masked; ordinary words in paths are kept so the URL stays recognisable.
enum WebhookRedaction {
    static let secretKeys = ["token", "key", "secret", "password", "pass", "auth", "sig", "signature", "apikey", "api_key", "access_token"]

    static func looksSecret(_ segment: String) -> Bool {
        let letters = segment.contains { $0.isLetter }
        let digits = segment.contains { $0.isNumber }
        return segment.count >= 16 || (segment.count >= 8 && letters && digits)
    }

    static func secretLooking(_ url: URL) -> [String] {
        let segments = url.path.split(separator: "/").map(String.init).filter(looksSecret)
        let queryValues = (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? [])
            .filter { secretKeys.contains($0.name.lowercased()) }.compactMap(\.value)
        return segments + queryValues
    }

    static func redact(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return ChannelConfig.mask }
        if components.password != nil { components.password = ChannelConfig.mask }
        components.path = components.path.split(separator: "/", omittingEmptySubsequences: false)
            .map { looksSecret(String($0)) ? ChannelConfig.mask : String($0) }.joined(separator: "/")
        components.queryItems = components.queryItems?.map {
            secretKeys.contains($0.name.lowercased()) ? URLQueryItem(name: $0.name, value: ChannelConfig.mask) : $0
        }
        return components.string?.replacingOccurrences(of: "%2A%2A%2A", with: ChannelConfig.mask) ?? ChannelConfig.mask
    }
}
