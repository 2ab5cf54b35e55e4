/// How a tag is watched.
public enum TagWatchMode: Sendable, Equatable {
    /// Not a version (`latest`, `stable`, `mainline`, `alpine`, `bookworm`): the tag moves, so only a
    /// changed digest is an update.
    case digestOnly
    /// A one-part number (`16`, `16-alpine`): it moves with every 16.x release, so it is watched by
    /// digest; a newer major (`17`, `17-alpine`) is proposed only when the policy asks for it
    /// (`unity.update.follow_major`), because someone who wrote `16` usually chose to stay there.
    case floatingMajor(TagVersion)
    /// Two or more parts (`16.4`, `1.27.3-alpine`, `v2.11.3`): newer tags of the same shape are proposed;
    /// the digest is compared too unless digest watching is off (a `16.4` rebuild is a real update).
    case version(TagVersion)

    public static func of(_ tag: String, policy: CompiledTagPolicy) -> TagWatchMode {
        guard let version = policy.version(of: tag) else { return .digestOnly }
        return version.partCount == 1 ? .floatingMajor(version) : .version(version)
    }
}

public enum UpdateKind: String, Sendable, Codable, CaseIterable, Comparable {
    case digest, patch, minor, major

    public static func < (lhs: UpdateKind, rhs: UpdateKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The first numeric part that differs decides; a build- or revision-only bump (linuxserver's
    /// `-ls228` → `-ls229` over the same upstream version) is a patch.
    public static func between(_ current: TagVersion, _ candidate: TagVersion) -> UpdateKind {
        let count = max(current.numbers.count, candidate.numbers.count)
        func part(_ version: TagVersion, _ index: Int) -> Int { index < version.numbers.count ? version.numbers[index] : 0 }
        if part(current, 0) != part(candidate, 0) { return .major }
        if count > 1, part(current, 1) != part(candidate, 1) { return .minor }
        return .patch
    }
}

public struct TagCandidate: Sendable, Equatable {
    public var tag: String
    public var version: TagVersion
    public var kind: UpdateKind
    /// Admitted releases newer than the current tag and older than the candidate: what the update skips over.
    public var intermediateCount: Int
}

public enum TagCandidates {
    /// The newest admitted tag newer than `current` with the same variant and the same number of parts
    /// (so `16-alpine` never proposes `17.1`, `16.4` never proposes `16.4.1-bookworm`), or nil.
    public static func candidate(current: TagVersion, tags: [String], policy: CompiledTagPolicy) -> TagCandidate? {
        let allowPreReleases = policy.policy.preReleases || current.isPreRelease
        var newer: [TagVersion] = []
        var seen = Set<String>()
        for tag in tags where tag != current.tag && seen.insert(tag).inserted && policy.admits(tag) {
            guard let version = policy.version(of: tag), version.variant == current.variant,
                  version.partCount == current.partCount, version > current else { continue }
            if version.isPreRelease && !allowPreReleases { continue }
            if policy.policy.sameMajorOnly && version.numbers.first != current.numbers.first { continue }
            // linuxserver-style builds: a tag without a build number does not replace one that has one.
            if (current.build == nil) != (version.build == nil) { continue }
            newer.append(version)
        }
        // Equal versions under two names (`3.7.11` and `v3.7.11`): the one written like the current tag.
        let currentHasV = current.tag.first == "v" || current.tag.first == "V"
        func preferred(_ version: TagVersion) -> (Int, Int) {
            ((version.tag.first == "v" || version.tag.first == "V") == currentHasV ? 1 : 0, -version.tag.count)
        }
        guard let best = newer.max(by: { left, right in
            let order = left.compare(right)
            return order != 0 ? order < 0 : preferred(left) < preferred(right)
        }) else { return nil }
        // Releases, not tag names: `3.2.0` and `v3.2.0` are one release.
        let between = Set(newer.filter { $0.compare(best) < 0 }.map(\.releaseKey)).count
        return TagCandidate(tag: best.tag, version: best, kind: UpdateKind.between(current, best), intermediateCount: between)
    }
}

extension TagVersion {
    /// What makes two tags the same release, whatever their spelling (`v` prefix, commit hash).
    var releaseKey: String {
        numbers.map(String.init).joined(separator: ".") + "|" + (preRelease?.lowercased() ?? "")
            + "|\(build ?? -1)|\(revision ?? -1)"
    }
}
