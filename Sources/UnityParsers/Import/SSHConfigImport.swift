import Foundation

/// Reads `~/.ssh/config` text into servers, with OpenSSH's rule that the *first* value obtained for
/// a keyword wins, so a `Host *` block at the end supplies defaults and one at the top overrides.
/// Wildcard-only hosts become no server; `Match` blocks and `Include` are reported, not followed.
public enum SSHConfigImport {
    struct Block {
        var patterns: [String]
        var options: [(String, String)] = []
        var line: Int
    }

    /// Without limits: for trusted text (tests, files the operator reads locally).
    public static func parse(_ text: String) -> ImportResult {
        (try? parse(text, limits: .unlimited)) ?? ImportResult(servers: [], warnings: [])
    }

    /// Throws `ImportLimitExceeded` while reading the lines, before any matching work, when the text
    /// has more hosts or wildcard patterns than `limits` allow.
    public static func parse(_ text: String, limits: ImportLimits) throws -> ImportResult {
        var blocks: [Block] = []
        var warnings: [String] = []
        var inMatch = false
        var aliases = Set<String>(), wildcardPatterns = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            guard let (keyword, value) = split(raw) else { continue }
            switch keyword {
            case "host":
                inMatch = false
                let patterns = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                for pattern in patterns {
                    if isPattern(pattern) {
                        wildcardPatterns += 1
                        guard wildcardPatterns <= limits.maxWildcardPatterns else { throw ImportLimitExceeded.wildcardPatterns(limits) }
                    } else if !pattern.hasPrefix("!") {
                        aliases.insert(pattern)
                        guard aliases.count <= limits.maxHosts else { throw ImportLimitExceeded.hosts(limits) }
                    }
                }
                blocks.append(Block(patterns: patterns, line: lineNumber))
            case "match":
                inMatch = true
                warnings.append("line \(lineNumber): Match blocks are not imported")
            case "include":
                warnings.append("line \(lineNumber): Include \(value) is not followed; paste that file too")
            default:
                guard !inMatch else { continue }
                if blocks.isEmpty { blocks.append(Block(patterns: ["*"], line: lineNumber)) }
                blocks[blocks.count - 1].options.append((keyword, value))
            }
        }

        var servers: [ImportedServer] = []
        var seen = Set<String>()
        let index = SSHHostPatternIndex(blocks.map(\.patterns))
        for block in blocks {
            for alias in block.patterns where !isPattern(alias) && !alias.hasPrefix("!") && seen.insert(alias).inserted {
                var values: [String: String] = [:]
                for candidate in index.candidates(for: alias).map({ blocks[$0] }) where matches(alias, candidate.patterns) {
                    for (keyword, value) in candidate.options where values[keyword] == nil { values[keyword] = value }
                }
                var port: Int?
                if let raw = values["port"] {
                    if let number = Int(raw), (1...65_535).contains(number) { port = number } else {
                        warnings.append("line \(block.line): Host \(alias) has an invalid Port \(raw)")
                    }
                }
                let address = values["hostname"].map { $0.replacingOccurrences(of: "%h", with: alias) } ?? alias
                servers.append(ImportedServer(name: alias, address: address, port: port, username: values["user"],
                                              identityFile: values["identityfile"], proxyJump: values["proxyjump"]))
            }
        }
        return ImportResult(servers: servers, warnings: warnings)
    }

    /// `Keyword value`, `Keyword=value` or `Keyword = "value"`; comments and blank lines give nil.
    static func split(_ raw: Substring) -> (String, String)? {
        let line = raw.trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        guard let separator = line.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "=" }) else { return nil }
        let keyword = line[..<separator].lowercased()
        var value = line[separator...].drop { $0 == " " || $0 == "\t" || $0 == "=" }.trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        guard !value.isEmpty else { return nil }
        return (keyword, value)
    }

    static func isPattern(_ text: String) -> Bool { text.contains("*") || text.contains("?") }

    /// A host matches a pattern list when some pattern matches and no negated one does.
    static func matches(_ host: String, _ patterns: [String]) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if glob(String(pattern.dropFirst()), host) { return false }
            } else if glob(pattern, host) {
                matched = true
            }
        }
        return matched
    }

    /// `*` and `?` globbing, iterative so hostile patterns cannot recurse deeply.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased()), t = Array(text.lowercased())
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
