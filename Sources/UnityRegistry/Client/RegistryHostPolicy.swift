import Foundation

/// Which hosts a registry may send Unity to. The flow is the same generic one for every registry
/// (Docker Hub, GHCR, Quay, lscr.io, GitLab, Gitea/Forgejo, Harbor, a plain distribution registry);
/// only these differences are real and each is listed here (README "Registries" repeats the table):
///
/// | registry | API host | token realm hosts besides its own | manifest redirects to |
/// |---|---|---|---|
/// | `docker.io` | `registry-1.docker.io` | `auth.docker.io` | none (blobs go to Cloudflare; Unity reads no blobs) |
/// | `lscr.io` | `lscr.io` | `ghcr.io` (lscr.io answers with GHCR's realm) | `ghcr.io` |
/// | `registry.gitlab.com` | same | `gitlab.com` (realm `https://gitlab.com/jwt/auth`) | none |
/// | `ghcr.io`, `quay.io`, Gitea/Forgejo, Harbor, distribution | same | none: the realm is on the registry's host | none |
///
/// "Own host" is the host *name*: a realm on another port of the same name is allowed (self-hosted
/// GitLab serves its registry on :5050 and its realm on :443). Any other realm host is refused before a
/// request is made, with or without credentials: a token request is still a request the registry made
/// Unity send to a host of its choosing (an internal address, a tracker), and no registry Unity knows
/// needs that. `RegistryAccess.additionalAuthHosts` extends the list per registry.
struct RegistryHostPolicy: Sendable {
    let registry: String
    /// `host[:port]` requests go to.
    let apiHost: String
    let credentialHosts: Set<String>
    let redirectHosts: Set<String>

    static let knownAuthHosts: [String: [String]] = [
        "docker.io": ["auth.docker.io"],
        "lscr.io": ["ghcr.io"],
        "registry.gitlab.com": ["gitlab.com"],
    ]
    static let knownRedirectHosts: [String: [String]] = [
        "lscr.io": ["ghcr.io"],
    ]

    init(reference: ImageReference, access: RegistryAccess?) {
        registry = reference.registry
        apiHost = reference.apiHost.lowercased()
        let own = [Self.hostName(of: apiHost), Self.hostName(of: registry.lowercased())]
        credentialHosts = Set(own + (Self.knownAuthHosts[registry] ?? []) + (access?.additionalAuthHosts ?? []).map { $0.lowercased() })
        redirectHosts = Set(Self.knownRedirectHosts[registry] ?? [])
    }

    /// May `host` (a name, no port) receive this registry's credentials or tokens?
    func allowsCredentials(toHost host: String) -> Bool {
        credentialHosts.contains(host.lowercased())
    }

    /// May a redirect take a manifest or tags request to `url`? The registry's own host:port, a
    /// credential host, or a documented redirect host.
    func allowsRedirect(to url: URLComponents) -> Bool {
        guard let host = url.host?.lowercased() else { return false }
        return Self.hostPort(of: url) == apiHost || allowsCredentials(toHost: host) || redirectHosts.contains(host)
    }

    static func hostName(of hostPort: String) -> String {
        if hostPort.hasPrefix("["), let end = hostPort.firstIndex(of: "]") {
            return String(hostPort[hostPort.index(after: hostPort.startIndex)..<end])
        }
        return String(hostPort.split(separator: ":", maxSplits: 1).first ?? Substring(hostPort))
    }

    /// `host[:port]` with the scheme's default port left out, comparable with `ImageReference.apiHost`.
    static func hostPort(of url: URLComponents) -> String {
        let host = (url.host ?? "").lowercased()
        guard let port = url.port else { return host }
        let isDefault = (url.scheme == "https" && port == 443) || (url.scheme == "http" && port == 80)
        return isDefault ? host : "\(host):\(port)"
    }
}
