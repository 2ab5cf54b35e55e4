/// How Unity reaches one registry host: its credentials and transport trust. The app unseals these
/// from the SecretBox per host and hands them to `RegistryClient` through its lookup closure; the
/// client never stores them, logs them or puts them into an error or `description`.
public struct RegistryAccess: Sendable {
    /// Sent only to the registry's own host and to token realms on hosts allowed for that registry.
    public var username: String?
    /// A password or a personal access token.
    public var password: String?
    /// The only CA trusted for this host's HTTPS (a private registry's own CA), instead of the system store.
    public var caCertificatePEM: String?
    /// Plain HTTP to this host (and to its token realm). Off unless chosen explicitly, also for localhost.
    public var allowInsecureHTTP: Bool
    /// Host names (no port) besides the registry's own that may receive credentials as a token realm:
    /// a self-hosted GitLab whose registry is `registry.example.com` and realm `gitlab.example.com`,
    /// or a Harbor behind a separate auth host.
    public var additionalAuthHosts: [String]

    public init(username: String? = nil, password: String? = nil, caCertificatePEM: String? = nil,
                allowInsecureHTTP: Bool = false, additionalAuthHosts: [String] = []) {
        self.username = username
        self.password = password
        self.caCertificatePEM = caCertificatePEM
        self.allowInsecureHTTP = allowInsecureHTTP
        self.additionalAuthHosts = additionalAuthHosts
    }

    /// Both parts present: only then is anything but an anonymous request made.
    var credentials: (username: String, password: String)? {
        guard let username, !username.isEmpty, let password, !password.isEmpty else { return nil }
        return (username, password)
    }
}

extension RegistryAccess: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "RegistryAccess(username: \(username ?? "none"), password: \(password == nil ? "none" : "set"), "
            + "ca: \(caCertificatePEM == nil ? "system" : "custom"), insecureHTTP: \(allowInsecureHTTP))"
    }

    public var debugDescription: String { description }

    /// `dump()` and string interpolation of containing values must not show the password either.
    public var customMirror: Mirror {
        Mirror(self, children: ["username": username as Any, "password": password == nil ? "none" : "set",
                                "caCertificatePEM": caCertificatePEM == nil ? "none" : "set",
                                "allowInsecureHTTP": allowInsecureHTTP, "additionalAuthHosts": additionalAuthHosts])
    }
}
