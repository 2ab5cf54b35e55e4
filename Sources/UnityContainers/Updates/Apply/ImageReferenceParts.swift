import Foundation

/// A reference split the way the engine's pull API wants it (`fromImage` + `tag`), with the registry
/// host credentials are looked up for. Docker's rule: the first path component is a registry only
/// when it has a `.` or `:` or is `localhost`.
public struct ImageReferenceParts: Sendable, Equatable {
    /// Everything before the tag or digest: `ghcr.io/org/app`, `nginx`.
    public var repository: String
    /// The tag, nil when the reference has a digest or neither.
    public var tag: String?
    /// `sha256:…` when the reference pins one.
    public var digest: String?

    public init(_ reference: String) {
        var rest = reference
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = String(rest[..<at])
        }
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            tag = String(rest[rest.index(after: colon)...])
            rest = String(rest[..<colon])
        }
        repository = rest
    }

    /// `docker.io` for Docker Hub names.
    public var registryHost: String {
        guard let slash = repository.firstIndex(of: "/") else { return "docker.io" }
        let first = repository[..<slash]
        return first.contains(".") || first.contains(":") || first == "localhost" ? String(first) : "docker.io"
    }

    /// `repository@digest`: the pull that cannot be moved by a tag changing meanwhile.
    public func pinned(to digest: String) -> String { "\(repository)@\(digest)" }

    /// What the pull API's `tag` parameter carries: the digest, else the tag, else `latest`.
    public var pullTag: String { digest ?? tag ?? "latest" }
}
