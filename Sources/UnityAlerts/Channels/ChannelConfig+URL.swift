import Foundation

extension ChannelConfig {
    /// What replaces a secret in `redactedURL`.
    public static let mask = "***"

    /// The URL with everything that can be a secret masked (passwords, tokens, webhook ids,
    /// HMAC secrets, every path segment and query value of a webhook, the ntfy topic): the only
    /// form that may appear in API responses for operators, logs and the notification log.
    /// Viewers get less still: `summary`.
    public var redactedURL: String { url(redacted: true) }

    /// The full URL, secrets included, for sealing with the SecretBox. `parse(url(redacted: false))`
    /// gives this config back.
    public var fullURL: String { url(redacted: false) }

    /// Every secret string in this config, for scrubbing error texts from lower layers (an HTTP
    /// client error can quote a URL with a Telegram token in its path).
    public var secrets: [String] {
        let raw: [String?] = switch service {
        case .smtp(let c): [c.password]
        case .webhook(let c): [c.secret, c.url.password, c.url.user] + WebhookRedaction.secretCandidates(c.url)
        case .ntfy(let c): [c.password, c.topic]
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
            // On a public server the topic is the only thing between the world and the messages.
            base = "ntfy://\(auth)\(authority(c.server))/\(s(c.topic))"
            if c.server.scheme == "http" { query.append(("scheme", "http")) }
            if let p = c.priority { query.append(("priority", String(p))) }
            if !c.tags.isEmpty { query.append(("tags", c.tags.joined(separator: ","))) }
        case .gotify(let c):
            base = "gotify://\(authority(c.server))\(c.server.path)/\(s(c.appToken))"
            if c.server.scheme == "http" { query.append(("disabletls", "yes")) }
            if let p = c.priority { query.append(("priority", String(p))) }
        case .discord(let c):
            base = "discord://\(s(c.token))@\(redacted ? Self.mask : c.webhookID)"
            query += apiQuery(c.apiBase, default: "https://discord.com", redacted: redacted)
        case .slack(let c):
            switch c.mode {
            case .webhook: base = "slack://hook:\(redacted ? Self.mask : c.token.replacingOccurrences(of: "/", with: "-"))@webhook"
            case .api(let channel):
                let kind = c.token.prefix(4)
                base = "slack://\(kind):\(redacted ? Self.mask : enc(String(c.token.dropFirst(5))))@\(channel)"
            }
            if let bot = c.botName { query.append(("botname", bot)) }
            query += apiQuery(c.apiBase, default: c.mode == .webhook ? "https://hooks.slack.com" : "https://slack.com", redacted: redacted)
        case .telegram(let c):
            base = "telegram://\(redacted ? Self.mask : c.botToken)@telegram"
            query.append(("chats", c.chats.joined(separator: ",")))
            query += apiQuery(c.apiBase, default: "https://api.telegram.org", redacted: redacted)
        case .pushover(let c):
            base = "pushover://shoutrrr:\(s(c.appToken))@\(redacted ? Self.mask : c.userKey)/"
            if !c.devices.isEmpty { query.append(("devices", c.devices.joined(separator: ","))) }
            if let p = c.priority { query.append(("priority", String(p))) }
            query += apiQuery(c.apiBase, default: "https://api.pushover.net", redacted: redacted)
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

    /// A proxy base may carry its own credentials or a secret path: redacted like a webhook.
    private func apiQuery(_ url: URL, default fallback: String, redacted: Bool) -> [(String, String)] {
        guard url.absoluteString != fallback else { return [] }
        return [("apiurl", redacted ? WebhookRedaction.redact(url) : url.absoluteString)]
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


/// Webhook URLs hide their secret in different places: a user or password, a path segment
/// (Home Assistant `/api/webhook/<id>`, `/a/opensesame/b`), a query value (`?code=`, `?token=`).
/// No rule can tell an ordinary word from a short secret, so every one of them is masked; the
/// scheme, host, port, path shape and query keys stay to recognise the URL by.
enum WebhookRedaction {
    static func secretCandidates(_ url: URL) -> [String] {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let segments = (components?.path ?? url.path).split(separator: "/").map { String($0) }
        let decoded = segments.compactMap { $0.removingPercentEncoding }
        let queryValues = (components?.queryItems ?? []).compactMap(\.value).filter { !$0.isEmpty }
        return segments + decoded + queryValues
    }

    static func redact(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return ChannelConfig.mask }
        return redact(&components)
    }

    static func redact(_ components: inout URLComponents) -> String {
        if components.user != nil { components.user = ChannelConfig.mask }
        if components.password != nil { components.password = ChannelConfig.mask }
        components.percentEncodedPath = components.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : ChannelConfig.mask }.joined(separator: "/")
        components.queryItems = components.queryItems?.map { URLQueryItem(name: $0.name, value: $0.value == nil ? nil : ChannelConfig.mask) }
        components.fragment = components.fragment.map { _ in ChannelConfig.mask }
        return components.string?.replacingOccurrences(of: "%2A%2A%2A", with: ChannelConfig.mask) ?? ChannelConfig.mask
    }
}
