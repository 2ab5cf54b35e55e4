import Foundation
import UnityRegistry

public enum UpdateStatus: String, Sendable, Codable, CaseIterable {
    case upToDate = "up_to_date"
    case updateAvailable = "update_available"
    /// No answer: the reason says why. Never shown as up to date.
    case unknown
    /// Watching is off for this container (a label).
    case skipped
    /// The reference carries a digest, or the container was pinned: nothing to compare.
    case pinned
}

/// The engine host's platform, as `/version` reports it (`linux`, `amd64` / `arm64` / `arm`).
public struct HostPlatform: Sendable, Equatable, Hashable {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os.lowercased()
        self.architecture = Self.goArchitecture(architecture)
        self.variant = variant?.lowercased()
    }

    /// Engines and `uname` disagree on names: `x86_64` is `amd64`, `aarch64` is `arm64`, `armv7l` is `arm` v7.
    static func goArchitecture(_ name: String) -> String {
        switch name.lowercased() {
        case "x86_64", "x86-64", "amd64": "amd64"
        case "aarch64", "arm64", "armv8", "armv8l": "arm64"
        case "armv7l", "armv7", "armv6l", "armv6", "armhf", "arm": "arm"
        case "i386", "i686", "x86", "386": "386"
        default: name.lowercased()
        }
    }

    /// The index entries built for this host. With no variant known, every entry of the architecture
    /// (arm v6 and v7 alike): any of them in the image's repo digests means it came from this index.
    func entries(in platforms: [PlatformManifest]) -> [PlatformManifest] {
        platforms.filter { entry in
            entry.os.lowercased() == os && Self.goArchitecture(entry.architecture) == architecture
                && (variant == nil || entry.variant == nil || entry.variant?.lowercased() == variant)
        }
    }
}

/// One container as update detection sees it.
public struct UpdateSubject: Sendable, Equatable {
    public var containerID: UUID
    public var containerName: String
    public var hostID: UUID
    /// As the engine reported it (`nginx:1.27`, `ghcr.io/a/b@sha256:…`); nil for an image without one.
    public var imageReference: String?
    /// Every `RepoDigests` entry of the container's image (`docker.io/library/nginx@sha256:…`).
    public var repoDigests: [String]
    public var labels: [String: String]
    public var platform: HostPlatform?
    /// Pinned from the UI/API (stored), besides the `unity.update.pin` label.
    public var userPinned: Bool
    /// "Skip this version": a candidate tag or digest the user dismissed.
    public var skippedTag: String?
    public var skippedDigest: String?

    public init(containerID: UUID, containerName: String, hostID: UUID, imageReference: String?, repoDigests: [String],
                labels: [String: String], platform: HostPlatform?, userPinned: Bool = false,
                skippedTag: String? = nil, skippedDigest: String? = nil) {
        self.containerID = containerID; self.containerName = containerName; self.hostID = hostID
        self.imageReference = imageReference; self.repoDigests = repoDigests; self.labels = labels
        self.platform = platform; self.userPinned = userPinned; self.skippedTag = skippedTag; self.skippedDigest = skippedDigest
    }
}

/// What a check concluded for one container.
public struct UpdateVerdict: Sendable, Equatable {
    public var status: UpdateStatus
    public var kind: UpdateKind?
    public var reason: String?
    public var currentTag: String?
    /// The image's own repo digest for this repository (the one that matched, else the first).
    public var currentDigest: String?
    public var candidateTag: String?
    /// For a digest update the registry's digest now; for a version bump nil (the tag is the key).
    public var candidateDigest: String?
    public var intermediateCount: Int?
    /// The registry failure was transient (rate limit, 5xx, network): retried next cycle, and the
    /// stored last good result is kept (marked stale).
    public var transient: Bool

    public init(status: UpdateStatus, kind: UpdateKind? = nil, reason: String? = nil, currentTag: String? = nil,
                currentDigest: String? = nil, candidateTag: String? = nil, candidateDigest: String? = nil,
                intermediateCount: Int? = nil, transient: Bool = false) {
        self.status = status; self.kind = kind; self.reason = reason; self.currentTag = currentTag
        self.currentDigest = currentDigest; self.candidateTag = candidateTag; self.candidateDigest = candidateDigest
        self.intermediateCount = intermediateCount; self.transient = transient
    }

    static func unknown(_ reason: String, tag: String? = nil, transient: Bool = false) -> UpdateVerdict {
        UpdateVerdict(status: .unknown, reason: reason, currentTag: tag, transient: transient)
    }
}
