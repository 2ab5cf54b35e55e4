/// A tag read as a version: `v1.2.3-alpine`, `16.4-bookworm`, `3.0.0-rc.2`, `19beta3-trixie`,
/// `1.40.2.8395-c67dce28e-ls228`. Parsing never traps: tags come from registries.
///
/// * `numbers`: 1 to 4 numeric parts (`16`, `1.27`, `2.11.3`, `1.40.2.8395`), each at most 9 digits.
/// * `preRelease`: a marker glued to the numbers (`15rc1`, `19beta3`) or a `-` part that is one
///   (`-rc.1`, `-beta.2`, `-alpha`, `-dev`, `-nightly`, `-preview`, `-snapshot`, `-canary`, `-pre`).
/// * `build`: linuxserver.io's `-lsNNN` build number (and Alpine's `-rNNN` package revision) order
///   rebuilds of one upstream version; they are not part of the variant.
/// * `variant`: every other `-` part, joined (`alpine`, `alpine3.19`, `fpm-alpine`, `bookworm`), except
///   a git commit hash (7–40 hex characters with a digit and a letter, as in linuxserver's
///   `1.40.2.8395-c67dce28e-ls228`), which changes with every release and would make each release a
///   variant of its own. Candidates must have exactly the current tag's variant.
public struct TagVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let tag: String
    public let numbers: [Int]
    public let preRelease: String?
    public let variant: String
    /// `ls228` → 228; nil when the tag has none.
    public let build: Int?
    /// `r3` → 3 (Alpine package revision, as in `4.6.5-r0-ls340`); nil when absent.
    public let revision: Int?

    public var description: String { tag }
    public var partCount: Int { numbers.count }
    public var isPreRelease: Bool { preRelease != nil }

    public static let preReleaseWords = ["alpha", "beta", "rc", "dev", "nightly", "pre", "preview", "snapshot", "canary", "next", "edge", "unstable", "test", "experimental", "insiders", "milestone", "m", "ea"]

    /// nil when the tag is not a version (`latest`, `stable`, `mainline`, `alpine`, a commit hash).
    public static func parse(_ tag: String) -> TagVersion? {
        guard !tag.isEmpty, tag.count <= 128 else { return nil }
        var rest = Substring(tag)
        if let first = rest.first, first == "v" || first == "V",
           let second = rest.dropFirst().first, second.isASCII, second.isNumber {
            rest = rest.dropFirst()
        }
        var numbers: [Int] = []
        while numbers.count < 4 {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let value = Int(digits) else { return nil }
            numbers.append(value)
            rest = rest.dropFirst(digits.count)
            if rest.first == ".", let next = rest.dropFirst().first, next.isASCII, next.isNumber, numbers.count < 4 {
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !numbers.isEmpty else { return nil }

        var preRelease: String?
        // A marker glued to the numbers: `15rc1`, `19beta3`, `3.0.0rc1`.
        if let first = rest.first, first.isASCII, first.isLetter {
            let glued = rest.prefix { $0 != "-" && $0 != "_" && $0 != "+" }
            guard isPreReleaseMarker(glued) else { return nil }
            preRelease = String(glued)
            rest = rest.dropFirst(glued.count)
        }
        // A fifth numeric part (`1.2.3.4.5`) or other leftovers glued to the numbers: not a version.
        if let first = rest.first, first != "-" && first != "_" && first != "+" { return nil }

        var variantParts: [Substring] = []
        var build: Int?
        var revision: Int?
        for part in rest.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "+" }) {
            if preRelease == nil, variantParts.isEmpty, build == nil, isPreReleaseMarker(part) {
                preRelease = String(part)
            } else if let number = numberAfter(prefix: "ls", in: part) {
                build = number
            } else if let number = numberAfter(prefix: "r", in: part) {
                revision = number
            } else if isCommitHash(part) {
                continue
            } else if preRelease == nil, isPreReleaseMarker(part) {
                // `1.2.3-alpine-rc1`: still a pre-release, whatever comes before it.
                preRelease = String(part)
            } else {
                variantParts.append(part)
            }
        }
        return TagVersion(tag: tag, numbers: numbers, preRelease: preRelease, variant: variantParts.joined(separator: "-"),
                          build: build, revision: revision)
    }

    /// `rc`, `rc1`, `rc.1`, `beta`, `beta.2`, `beta3`, `alpha`, `dev`, `nightly`, `preview2` …
    static func isPreReleaseMarker(_ text: Substring) -> Bool {
        let lower = text.lowercased()
        let word = lower.prefix { $0.isLetter }
        guard !word.isEmpty, preReleaseWords.contains(String(word)) else { return false }
        // `m` alone is too common a suffix to be a milestone: only `m1`, `m2` …
        if word == "m" && word.count == lower.count { return false }
        let tail = lower.dropFirst(word.count).drop { $0 == "." }
        return tail.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
    }

    static func numberAfter(prefix: String, in part: Substring) -> Int? {
        guard part.hasPrefix(prefix) else { return nil }
        let digits = part.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    static func isCommitHash(_ part: Substring) -> Bool {
        guard (7...40).contains(part.count), part.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return false }
        return part.contains { $0.isNumber } && part.contains { $0.isLetter }
    }

    /// Numbers first (missing parts count as 0), then a release above its pre-releases, pre-releases by
    /// stage (`dev` < `alpha` < `beta` < `rc`) and number, then the build number, then the revision.
    public static func < (lhs: TagVersion, rhs: TagVersion) -> Bool { lhs.compare(rhs) < 0 }

    public func compare(_ other: TagVersion) -> Int {
        for index in 0..<max(numbers.count, other.numbers.count) {
            let left = index < numbers.count ? numbers[index] : 0
            let right = index < other.numbers.count ? other.numbers[index] : 0
            if left != right { return left < right ? -1 : 1 }
        }
        switch (preRelease, other.preRelease) {
        case (nil, .some): return 1
        case (.some, nil): return -1
        case (.some(let left), .some(let right)):
            let order = Self.comparePreRelease(left, right)
            if order != 0 { return order }
        case (nil, nil): break
        }
        if (build ?? -1) != (other.build ?? -1) { return (build ?? -1) < (other.build ?? -1) ? -1 : 1 }
        if (revision ?? -1) != (other.revision ?? -1) { return (revision ?? -1) < (other.revision ?? -1) ? -1 : 1 }
        return 0
    }

    static func stage(_ word: String) -> Int {
        switch word {
        case "dev", "nightly", "snapshot", "canary", "edge", "unstable", "experimental", "test", "insiders", "next": 0
        case "alpha", "m", "milestone", "ea": 1
        case "beta": 2
        case "pre", "preview": 3
        case "rc": 4
        default: 0
        }
    }

    static func comparePreRelease(_ left: String, _ right: String) -> Int {
        func split(_ text: String) -> (Int, [Int]) {
            let lower = text.lowercased()
            let word = String(lower.prefix { $0.isLetter })
            let numbers = lower.dropFirst(word.count).split(separator: ".").compactMap { Int($0.prefix(9)) }
            return (stage(word), numbers)
        }
        let (leftStage, leftNumbers) = split(left)
        let (rightStage, rightNumbers) = split(right)
        if leftStage != rightStage { return leftStage < rightStage ? -1 : 1 }
        for index in 0..<max(leftNumbers.count, rightNumbers.count) {
            let l = index < leftNumbers.count ? leftNumbers[index] : 0
            let r = index < rightNumbers.count ? rightNumbers[index] : 0
            if l != r { return l < r ? -1 : 1 }
        }
        return 0
    }
}
