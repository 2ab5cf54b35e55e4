import Crypto
import Foundation

/// One HTTP call to a receiver, built purely from config + message so it can be tested byte for
/// byte. Secrets live in `url`/`headers`/`body` here and nowhere else.
public struct OutboundRequest: Sendable, Hashable {
    public var method: String
    public var url: URL
    public var headers: [(String, String)]
    public var body: Data
    /// How to tell success from failure beyond the status code (Slack and Telegram answer 200
    /// with `"ok": false`).
    public var expectsOKField: Bool

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.0): \($0.1)" } == rhs.headers.map { "\($0.0): \($0.1)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(url)
        hasher.combine(body)
    }
}


public enum HTTPRequests {
    static let userAgent = "Unity-Alerts/1"

    /// The requests that deliver `message`, for every HTTP service except Matrix (which needs a
    /// login and alias lookups first, see `MatrixRequests`).
    public static func build(_ service: ChannelService, message: RenderedMessage) -> [OutboundRequest] {
        let json = [("Content-Type", "application/json"), ("User-Agent", userAgent)]
        switch service {
        case .webhook(let c):
            let body = webhookBody(message)
            var headers = json + [("X-Unity-Event", message.event.rawValue)]
            headers += c.extraHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            if let secret = c.secret { headers.append(("X-Unity-Signature", signature(body, secret: secret))) }
            return [OutboundRequest(method: "POST", url: c.url, headers: headers, body: body, expectsOKField: false)]
        case .ntfy(let c):
            var headers = json
            if let password = c.password {
                if c.username == nil && password.hasPrefix("tk_") {
                    headers.append(("Authorization", "Bearer \(password)"))
                } else {
                    headers.append(("Authorization", "Basic " + Data("\(c.username ?? ""):\(password)".utf8).base64EncodedString()))
                }
            }
            var fields: [String: JSONValue] = [
                "topic": .string(c.topic), "title": .string(message.title), "message": .string(message.body),
                "priority": .int(c.priority ?? ntfyPriority(message)), "tags": .array((ntfyTags(message) + c.tags).map(JSONValue.string)),
            ]
            if let link = message.link { fields["click"] = .string(link) }
            return [OutboundRequest(method: "POST", url: c.server, headers: headers, body: JSONValue.object(fields).encoded(), expectsOKField: false)]
        case .gotify(let c):
            var fields: [String: JSONValue] = [
                "title": .string(message.title), "message": .string(message.body),
                "priority": .int(c.priority ?? gotifyPriority(message)),
            ]
            if let link = message.link {
                fields["extras"] = .object(["client::notification": .object(["click": .object(["url": .string(link)])])])
            }
            return [OutboundRequest(method: "POST", url: c.server.appending(path: "message"),
                                    headers: json + [("X-Gotify-Key", c.appToken)], body: JSONValue.object(fields).encoded(), expectsOKField: false)]
        case .discord(let c):
            var embed: [String: JSONValue] = [
                "title": .string(String(message.title.prefix(256))), "description": .string(String(message.body.prefix(4096))),
                "color": .int(color(message)),
            ]
            if let link = message.link { embed["url"] = .string(link) }
            let body = JSONValue.object(["username": .string("Unity"), "embeds": .array([.object(embed)])]).encoded()
            let url = c.apiBase.appending(path: "api/webhooks/\(c.webhookID)/\(c.token)")
            return [OutboundRequest(method: "POST", url: url, headers: json, body: body, expectsOKField: false)]
        case .slack(let c):
            let text = "*\(slackEscape(message.title))*\n\(slackEscape(message.body))"
            var fields: [String: JSONValue] = ["text": .string(text)]
            if let bot = c.botName { fields["username"] = .string(bot) }
            switch c.mode {
            case .webhook:
                return [OutboundRequest(method: "POST", url: c.apiBase.appending(path: "services/\(c.token)"), headers: json,
                                        body: JSONValue.object(fields).encoded(), expectsOKField: false)]
            case .api(let channel):
                fields["channel"] = .string(channel)
                let headers = [("Content-Type", "application/json; charset=utf-8"), ("User-Agent", userAgent), ("Authorization", "Bearer \(c.token)")]
                return [OutboundRequest(method: "POST", url: c.apiBase.appending(path: "api/chat.postMessage"), headers: headers,
                                        body: JSONValue.object(fields).encoded(), expectsOKField: true)]
            }
        case .telegram(let c):
            let url = c.apiBase.appending(path: "bot\(c.botToken)/sendMessage")
            return c.chats.map { chat in
                let body = JSONValue.object([
                    "chat_id": .string(chat), "text": .string("\(message.title)\n\n\(message.body)"),
                    "link_preview_options": .object(["is_disabled": .bool(true)]),
                ]).encoded()
                return OutboundRequest(method: "POST", url: url, headers: json, body: body, expectsOKField: true)
            }
        case .pushover(let c):
            var form: [(String, String)] = [
                ("token", c.appToken), ("user", c.userKey), ("title", String(message.title.prefix(250))),
                ("message", String(message.body.prefix(1024))), ("priority", String(c.priority ?? pushoverPriority(message))),
            ]
            if let link = message.link { form += [("url", link), ("url_title", "Open in Unity")] }
            if !c.devices.isEmpty { form.append(("device", c.devices.joined(separator: ","))) }
            return [OutboundRequest(method: "POST", url: c.apiBase.appending(path: "1/messages.json"),
                                    headers: [("Content-Type", "application/x-www-form-urlencoded"), ("User-Agent", userAgent)],
                                    body: Data(formEncode(form).utf8), expectsOKField: false)]
        case .smtp, .matrix:
            return []
        }
    }

    public static func webhookBody(_ message: RenderedMessage) -> Data {
        JSONValue.object([
            "event": .string(message.event.rawValue), "title": .string(message.title), "body": .string(message.body),
            "severity": .string(message.severity.rawValue), "link": .optional(message.link),
            "alerts": .array(message.alerts.map(JSONValue.alert)),
        ]).encoded()
    }

    /// `sha256=<hex HMAC-SHA256(secret, raw body)>`, the GitHub-style header receivers verify.
    public static func signature(_ body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func formEncode(_ pairs: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._*"))
        func enc(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: allowed.union(.init(charactersIn: " "))) ?? text)
                .replacingOccurrences(of: " ", with: "+")
        }
        return pairs.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&")
    }

    static func slackEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func ntfyPriority(_ m: RenderedMessage) -> Int {
        if m.event == .resolved || m.event == .acknowledged { return 3 }
        return switch m.severity { case .critical: 5; case .warning: 4; case .info: 3 }
    }

    static func ntfyTags(_ m: RenderedMessage) -> [String] {
        switch m.event {
        case .resolved: ["white_check_mark"]
        case .acknowledged: ["eyes"]
        default: [m.severity == .critical ? "rotating_light" : m.severity == .warning ? "warning" : "information_source"]
        }
    }

    static func gotifyPriority(_ m: RenderedMessage) -> Int {
        if m.event == .resolved || m.event == .acknowledged { return 2 }
        return switch m.severity { case .critical: 8; case .warning: 5; case .info: 2 }
    }

    static func pushoverPriority(_ m: RenderedMessage) -> Int {
        if m.event == .resolved || m.event == .acknowledged { return -1 }
        return switch m.severity { case .critical: 1; case .warning: 0; case .info: -1 }
    }

    static func color(_ m: RenderedMessage) -> Int {
        if m.event == .resolved { return 0x2EB67D }
        return switch m.severity { case .critical: 0xE01E5A; case .warning: 0xECB22E; case .info: 0x36C5F0 }
    }
}
