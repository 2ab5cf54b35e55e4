/// Finds the `Host` blocks that may apply to an alias without globbing the alias against every
/// block: exact names are looked up; a wildcard pattern is filed under its literal prefix (before the
/// first wildcard) or suffix (after the last), since it can only match names that start or end with
/// it; only patterns with neither (`*`, `*a*`) are tried on every alias. The result is a superset of
/// the matching blocks (negations and the glob itself are checked by the caller), in file order.
struct SSHHostPatternIndex {
    private var exact: [String: [Int]] = [:]
    private var byPrefix: [String: [Int]] = [:]
    private var bySuffix: [String: [Int]] = [:]
    /// Only these lengths are looked up for an alias: one lookup per distinct length, not per character.
    private var prefixLengths: Set<Int> = []
    private var suffixLengths: Set<Int> = []
    private var unanchored: [Int] = []

    /// `blocks[i]` are the patterns of block `i`. Negated patterns never make a block apply.
    init(_ blocks: [[String]]) {
        for (block, patterns) in blocks.enumerated() {
            for pattern in patterns where !pattern.hasPrefix("!") { add(pattern.lowercased(), block: block) }
        }
    }

    private mutating func add(_ pattern: String, block: Int) {
        let isWildcard: (Character) -> Bool = { $0 == "*" || $0 == "?" }
        guard let first = pattern.firstIndex(where: isWildcard), let last = pattern.lastIndex(where: isWildcard) else {
            exact[pattern, default: []].append(block)
            return
        }
        let prefix = String(pattern[..<first]), suffix = String(pattern[pattern.index(after: last)...])
        if !prefix.isEmpty, prefix.count >= suffix.count {
            byPrefix[prefix, default: []].append(block)
            prefixLengths.insert(prefix.count)
        } else if !suffix.isEmpty {
            bySuffix[suffix, default: []].append(block)
            suffixLengths.insert(suffix.count)
        } else {
            unanchored.append(block)
        }
    }

    /// Block indices to check for `alias`, ascending and without repeats.
    func candidates(for alias: String) -> [Int] {
        let name = alias.lowercased()
        var found = exact[name] ?? []
        let length = name.count
        for prefix in prefixLengths where prefix <= length { found += byPrefix[String(name.prefix(prefix))] ?? [] }
        for suffix in suffixLengths where suffix <= length { found += bySuffix[String(name.suffix(suffix))] ?? [] }
        found += unanchored
        return Array(Set(found)).sorted()
    }
}
