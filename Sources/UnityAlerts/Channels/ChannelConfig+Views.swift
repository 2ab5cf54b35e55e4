import Crypto
import Foundation

/// The two ways a channel is shown: operators and admins see `redactedURL`; viewers (and
/// `read` API keys) see only where messages go, `summary`, plus a `fingerprint` that changes
/// when the URL does.
extension ChannelConfig {
    /// Scheme and host (with port) of the redacted URL, nothing else: `generic+https://hooks.lan:8443`,
    /// `ntfy://ntfy.sh`, `discord://***` (its host is the webhook id, a secret).
    public var summary: String { Self.summary(ofRedacted: redactedURL) }

    /// First 8 hex digits of an HMAC-SHA256 of the full URL under `key`. Keyed, so a viewer cannot
    /// confirm a guessed topic or token by hashing candidates; 32 bits tell channels apart.
    public func fingerprint(key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(fullURL.utf8), using: key)
        return mac.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// Scheme and host of a redacted URL as stored earlier (the delivery log keeps the form of
    /// the day it was written).
    public static func summary(ofRedacted url: String) -> String {
        guard let separator = url.range(of: "://") else { return mask }
        let scheme = url[..<separator.lowerBound]
        let rest = url[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        return "\(scheme)://\(hostPort)"
    }

    /// A redacted URL stored by an older version (which kept webhook path words, webhook query
    /// values other than `token`-like keys, and ntfy topics) brought to today's rules. Idempotent:
    /// a URL redacted today comes back unchanged.
    public static func tightenRedacted(_ url: String) -> String {
        guard let separator = url.range(of: "://") else { return mask }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard var components = URLComponents(string: "x://" + url[separator.upperBound...]) else { return summary(ofRedacted: url) }
        switch scheme {
        case "generic", "generic+https", "generic+http", "https", "http":
            return String(url[..<separator.upperBound]) + String(WebhookRedaction.redact(&components).dropFirst("x://".count))
        case "ntfy":
            if !components.percentEncodedPath.isEmpty, components.percentEncodedPath != "/" { components.percentEncodedPath = "/" + mask }
            if components.password != nil { components.password = mask }
            let text = components.string?.replacingOccurrences(of: "%2A%2A%2A", with: mask) ?? "x://" + mask
            return String(url[..<separator.upperBound]) + String(text.dropFirst("x://".count))
        default:
            return url
        }
    }
}
