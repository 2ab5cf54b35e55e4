import Foundation

/// TLS for one channel. Verification is on by default; a lab server with a self-signed
/// certificate is trusted by giving its CA (preferred) or, explicitly, by skipping verification.
public struct ChannelTLS: Sendable, Hashable, Codable {
    public var verify: Bool
    /// PEM of the CA (or the self-signed certificate itself) to trust instead of the system roots.
    public var trustedCAPEM: String?

    public init(verify: Bool = true, trustedCAPEM: String? = nil) {
        self.verify = verify
        self.trustedCAPEM = trustedCAPEM
    }

    public static let `default` = ChannelTLS()
}


public enum SMTPEncryption: String, Sendable, Hashable, Codable {
    /// Plain connection upgraded with STARTTLS; refused if the server does not offer it.
    case starttls
    /// TLS from the first byte (port 465).
    case implicit
    /// Cleartext, only when asked for by name.
    case none
}


public enum SMTPAuthMethod: String, Sendable, Hashable, Codable {
    case plain, login, none
}


public struct SMTPChannel: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var from: String
    public var fromName: String?
    public var to: [String]
    public var encryption: SMTPEncryption
    public var auth: SMTPAuthMethod
    /// Name sent in EHLO; servers log it, some check it resolves.
    public var heloName: String

    public init(host: String, port: Int, username: String? = nil, password: String? = nil, from: String, fromName: String? = nil,
                to: [String], encryption: SMTPEncryption, auth: SMTPAuthMethod, heloName: String = "unity.localdomain") {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.from = from
        self.fromName = fromName
        self.to = to
        self.encryption = encryption
        self.auth = auth
        self.heloName = heloName
    }
}


/// Generic JSON webhook. With a `secret`, every request carries
/// `X-Unity-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.
public struct WebhookChannel: Sendable, Hashable {
    public var url: URL
    public var secret: String?
    public var extraHeaders: [String: String]

    public init(url: URL, secret: String? = nil, extraHeaders: [String: String] = [:]) {
        self.url = url
        self.secret = secret
        self.extraHeaders = extraHeaders
    }
}


public struct NtfyChannel: Sendable, Hashable {
    /// Server root, e.g. https://ntfy.sh (publishing posts JSON to the root).
    public var server: URL
    public var topic: String
    public var username: String?
    /// Password, or an access token (`tk_…`) when there is no username.
    public var password: String?
    public var priority: Int?
    public var tags: [String]
}


public struct GotifyChannel: Sendable, Hashable {
    /// Server root including any sub-path Gotify is served under.
    public var server: URL
    public var appToken: String
    public var priority: Int?
}


public struct DiscordChannel: Sendable, Hashable {
    public var apiBase: URL
    public var webhookID: String
    public var token: String
}


public struct SlackChannel: Sendable, Hashable {
    public enum Mode: Sendable, Hashable {
        /// Incoming webhook: token is "T…/B…/X…" (written with dashes in the URL).
        case webhook
        /// Bot/user token (xoxb-…, xoxp-…) posting to `channel` with chat.postMessage.
        case api(channel: String)
    }

    public var apiBase: URL
    public var mode: Mode
    public var token: String
    public var botName: String?
}


public struct TelegramChannel: Sendable, Hashable {
    public var apiBase: URL
    public var botToken: String
    public var chats: [String]
}


public struct PushoverChannel: Sendable, Hashable {
    public var apiBase: URL
    public var appToken: String
    public var userKey: String
    public var devices: [String]
    public var priority: Int?
}


public struct MatrixChannel: Sendable, Hashable {
    public var server: URL
    /// With a user, `password` is a password and Unity logs in (m.login.password);
    /// without, it is an access token.
    public var user: String?
    public var password: String
    /// Room ids (`!abc:server`) or aliases (`#room:server`, resolved before sending).
    public var rooms: [String]
}


public enum ChannelService: Sendable, Hashable {
    case smtp(SMTPChannel)
    case webhook(WebhookChannel)
    case ntfy(NtfyChannel)
    case gotify(GotifyChannel)
    case discord(DiscordChannel)
    case slack(SlackChannel)
    case telegram(TelegramChannel)
    case pushover(PushoverChannel)
    case matrix(MatrixChannel)

    public var kind: String {
        switch self {
        case .smtp: "smtp"
        case .webhook: "webhook"
        case .ntfy: "ntfy"
        case .gotify: "gotify"
        case .discord: "discord"
        case .slack: "slack"
        case .telegram: "telegram"
        case .pushover: "pushover"
        case .matrix: "matrix"
        }
    }
}


/// A notification channel: where to send and how to trust it. Build it from a URL with
/// `ChannelURL.parse`, or from structured fields with the memberwise initialisers.
public struct ChannelConfig: Sendable, Hashable {
    public var service: ChannelService
    public var tls: ChannelTLS

    public init(service: ChannelService, tls: ChannelTLS = .default) {
        self.service = service
        self.tls = tls
    }
}
