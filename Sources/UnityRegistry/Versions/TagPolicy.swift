import Foundation

/// Which tags may replace the current one. The defaults propose every newer release of the same shape.
public struct TagPolicy: Sendable, Equatable {
    /// Only tags matching this regular expression are candidates (WUD's `wud.tag.include`).
    public var include: String?
    /// Tags matching this one never are (`wud.tag.exclude`).
    public var exclude: String?
    /// Pre-releases (`-rc1`, `-beta.2`, `15beta3`) are candidates only when this is set, or when the
    /// current tag is a pre-release itself (someone on `3.0.0-rc.1` wants `3.0.0-rc.2` and `3.0.0`).
    public var preReleases: Bool
    /// Only candidates with the current major version (`16.x` stays on 16).
    public var sameMajorOnly: Bool
    /// Rewrites each tag before it is read as a version, for schemes whose version is not at the front
    /// (`wud.tag.transform`): `PATTERN => REPLACEMENT`, `$1`…`$9` naming the pattern's groups, e.g.
    /// `^(\d+\.\d+\.\d+)-ls\d+$ => $1`. A tag the pattern does not match is read unchanged. The
    /// candidate reported is always the registry's own tag, never the rewritten text.
    public var transform: TagTransform?

    public init(include: String? = nil, exclude: String? = nil, preReleases: Bool = false, sameMajorOnly: Bool = false,
                transform: TagTransform? = nil) {
        self.include = include
        self.exclude = exclude
        self.preReleases = preReleases
        self.sameMajorOnly = sameMajorOnly
        self.transform = transform
    }

    /// An invalid regular expression is a reason, never a crash: the caller reports it as `unknown`.
    public func validated() throws(TagPolicyError) -> CompiledTagPolicy {
        func compile(_ pattern: String?, _ field: String) throws(TagPolicyError) -> NSRegularExpression? {
            guard let pattern, !pattern.isEmpty else { return nil }
            guard pattern.count <= 512, let regex = try? NSRegularExpression(pattern: pattern) else {
                throw .invalidPattern(field: field, pattern: String(pattern.prefix(120)))
            }
            return regex
        }
        let transformRegex = try compile(transform?.pattern, "transform")
        return CompiledTagPolicy(policy: self, include: try compile(include, "include"), exclude: try compile(exclude, "exclude"),
                                 transform: transformRegex.map { ($0, transform?.replacement ?? "$1") })
    }
}

/// `^(\d+\.\d+)-.*$ => $1`: the pattern, then `=>`, then the replacement.
public struct TagTransform: Sendable, Equatable {
    public var pattern: String
    public var replacement: String
    public init(pattern: String, replacement: String) {
        self.pattern = pattern
        self.replacement = replacement
    }

    /// Reads WUD's label syntax; nil when there is no `=>` (then the whole text is the pattern and `$1`
    /// the replacement, which is what a transform without one can only mean).
    public static func parse(_ text: String) -> TagTransform? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard let arrow = trimmed.range(of: "=>") else { return TagTransform(pattern: trimmed, replacement: "$1") }
        let pattern = trimmed[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
        let replacement = trimmed[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
        guard !pattern.isEmpty else { return nil }
        return TagTransform(pattern: pattern, replacement: replacement.isEmpty ? "$1" : replacement)
    }
}

public enum TagPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidPattern(field: String, pattern: String)
    public var description: String {
        switch self {
        case .invalidPattern(let field, let pattern): "tag \(field) pattern \"\(pattern)\" is not a valid regular expression"
        }
    }
}

public struct CompiledTagPolicy: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and safe to share.
    public let policy: TagPolicy
    let include: NSRegularExpression?
    let exclude: NSRegularExpression?
    let transform: (NSRegularExpression, String)?

    /// The tag as a version after the transform, or nil when it is none.
    public func version(of tag: String) -> TagVersion? {
        guard let (regex, template) = transform else { return TagVersion.parse(tag) }
        let range = NSRange(tag.startIndex..., in: tag)
        guard let match = regex.firstMatch(in: tag, range: range) else { return TagVersion.parse(tag) }
        let rewritten = regex.replacementString(for: match, in: tag, offset: 0, template: template)
        guard let parsed = TagVersion.parse(rewritten) else { return nil }
        // Keep the registry's tag as the name; the numbers and variant come from the rewritten text.
        return TagVersion(tag: tag, numbers: parsed.numbers, preRelease: parsed.preRelease, variant: parsed.variant,
                          build: parsed.build, revision: parsed.revision)
    }

    func admits(_ tag: String) -> Bool {
        let range = NSRange(tag.startIndex..., in: tag)
        if let include, include.firstMatch(in: tag, range: range) == nil { return false }
        if let exclude, exclude.firstMatch(in: tag, range: range) != nil { return false }
        return true
    }
}
