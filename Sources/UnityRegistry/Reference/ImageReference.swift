/// An image reference as Docker normalises it, so `nginx`, `docker.io/nginx:latest` and
/// `index.docker.io/library/nginx` are the same key for update checks and request de-duplication.
///
/// Grammar (distribution/reference): `[domain[:port]/]path[:tag][@digest]`. The first path component is
/// a domain only when it contains `.` or `:` or is `localhost` (or has upper-case letters, which a path
/// never may); otherwise the reference is on Docker Hub and a single component gets `library/`.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// The registry host as written (port kept), `docker.io` for Docker Hub.
    public let registry: String
    /// The repository path on that registry (`library/nginx`, `linuxserver/plex`).
    public let repository: String
    /// The tag; `latest` when neither tag nor digest was given.
    public let tag: String?
    /// `sha256:…` when the reference pins a digest.
    public let digest: String?

    public static let dockerHub = "docker.io"

    public init(registry: String, repository: String, tag: String?, digest: String?) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// The host requests go to: Docker Hub's API lives on `registry-1.docker.io`.
    public var apiHost: String { registry == Self.dockerHub ? "registry-1.docker.io" : registry }

    /// `docker.io/library/nginx:latest`, `ghcr.io/a/b@sha256:…`.
    public var canonical: String {
        var text = "\(registry)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The short form people type (`nginx:latest`, `linuxserver/plex:1.40`).
    public var familiar: String {
        var name = "\(registry)/\(repository)"
        if registry == Self.dockerHub {
            name = repository.hasPrefix("library/") && repository.split(separator: "/").count == 2
                ? String(repository.dropFirst("library/".count)) : repository
        }
        if let tag { name += ":\(tag)" }
        if let digest { name += "@\(digest)" }
        return name
    }

    public var description: String { canonical }

    /// The same repository with another tag (digest dropped): the candidate of a version update.
    public func withTag(_ newTag: String) -> ImageReference {
        ImageReference(registry: registry, repository: repository, tag: newTag, digest: nil)
    }

    /// True when `other` names the same repository on the same registry (tags and digests ignored),
    /// the test for which of an image's `RepoDigests` belong to this reference.
    public func sameRepository(as other: ImageReference) -> Bool {
        registry == other.registry && repository == other.repository
    }
}

public enum ImageReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case invalid(String, reason: String)

    public var description: String {
        switch self {
        case .empty: "image reference is empty"
        case .invalid(let text, let reason): "invalid image reference \"\(text.prefix(200))\": \(reason)"
        }
    }
}
