import Foundation
import UnityRegistry

/// What a container's labels ask of update detection. Unity's own `unity.update.*` labels win over
/// Drydock's `dd.*`, which win over What's Up Docker's `wud.*`; Watchtower's and Diun's enable labels
/// only turn watching off. The table is in README.md ("Container updates").
public struct UpdateWatchPolicy: Sendable, Equatable {
    /// False: the container is `skipped` (no registry request).
    public var enabled = true
    /// True: `pinned` (no registry request), as if the reference carried a digest.
    public var pinned = false
    /// Compare the digest of version tags too (floating tags are always compared by digest).
    public var watchDigest = true
    /// One-part tags (`16`) also propose a newer major (`17`).
    public var followMajor = false
    public var tags = TagPolicy()

    public init() {}

    public static let unityPrefix = "unity.update."

    public static func from(labels: [String: String]) -> UpdateWatchPolicy {
        var policy = UpdateWatchPolicy()
        func flag(_ keys: [String]) -> Bool? {
            for key in keys { if let value = labels[key].flatMap(parseBool) { return value } }
            return nil
        }
        func text(_ keys: [String]) -> String? {
            for key in keys {
                if let value = labels[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
            }
            return nil
        }
        if let enabled = flag(["unity.update.enable"]) {
            policy.enabled = enabled
        } else {
            // Any peer tool's "do not watch this" is honoured; their "watch" is already the default.
            let peers = ["dd.watch", "wud.watch", "com.centurylinklabs.watchtower.enable", "diun.enable"]
            policy.enabled = !peers.contains { labels[$0].flatMap(parseBool) == false }
        }
        policy.pinned = flag(["unity.update.pin"]) ?? false
        policy.watchDigest = flag(["unity.update.digest", "dd.watch.digest", "wud.watch.digest"]) ?? true
        policy.followMajor = flag(["unity.update.follow_major"]) ?? false
        policy.tags.include = text(["unity.update.include", "dd.tag.include", "wud.tag.include"])
        policy.tags.exclude = text(["unity.update.exclude", "dd.tag.exclude", "wud.tag.exclude"])
        policy.tags.transform = text(["unity.update.transform", "dd.tag.transform", "wud.tag.transform"]).flatMap(TagTransform.parse)
        policy.tags.preReleases = flag(["unity.update.prereleases"]) ?? false
        policy.tags.sameMajorOnly = flag(["unity.update.same_major"]) ?? false
        return policy
    }

    /// `true/yes/on/1` and `false/no/off/0`, any case; anything else counts as not set.
    static func parseBool(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }
}
