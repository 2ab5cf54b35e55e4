/// Parses `zpool status [-v] [-p] [pool…]` (OpenZFS 0.8–2.3 and old Solaris layouts) into one
/// `ZpoolStatus` per pool.
///
/// The output is a series of `key: value` sections per pool (pool, state, status, action, see,
/// scan, config, errors), with continuation lines indented below their key. Unknown keys
/// (`remove:`, `expand:`, `checkpoint:` …) are skipped with their continuation lines, so a newer
/// zpool adding a section does not break parsing.
///
/// "no pools available", "all pools are healthy" (`-x`) and empty output (zpool writes the former
/// to stderr) all mean "no pools": an empty list. A pool block without a `state:` line is rejected
/// rather than reported with a guessed state.
public enum ZpoolStatusParser {
    static let source = "zpool status"

    private static let knownKeys: Set<String> = [
        "pool", "id", "state", "status", "action", "see", "scan", "scrub", "remove", "expand",
        "checkpoint", "config", "errors", "dedup",
    ]

    public static func parse(_ output: String) throws(ParseError) -> [ZpoolStatus] {
        var pools: [ZpoolStatus] = []
        var current: PoolLines?
        var sawPreamble = false

        for (offset, rawLine) in ZpoolText.lines(output).enumerated() {
            let line = String(rawLine)
            if let (key, value) = keyLine(line) {
                if key == "pool" {
                    if let finished = current { pools.append(try finished.build()) }
                    guard !value.isEmpty else {
                        throw ParseError(source: source, line: offset + 1, reason: "'pool:' line without a pool name")
                    }
                    current = PoolLines(name: value, line: offset + 1)
                    continue
                }
                if current != nil {
                    current?.start(key: key, value: value)
                    continue
                }
            }
            if current == nil {
                if !ZpoolText.isBlank(line) { sawPreamble = true }
            } else {
                current?.add(line)
            }
        }
        if let finished = current { pools.append(try finished.build()) }
        if pools.isEmpty, sawPreamble, !saysNoPools(output) {
            throw ParseError(source: source, reason: "no 'pool:' line found; not zpool status output")
        }
        return pools
    }

    private static func saysNoPools(_ output: String) -> Bool {
        let text = ZpoolText.trimmed(output)
        return text.hasSuffix("no pools available") || text == "all pools are healthy"
    }

    /// "  pool: tank" → ("pool", "tank"); `nil` for anything that is not a known key.
    private static func keyLine(_ line: String) -> (String, String)? {
        // Byte scan: keys are short ASCII words, and this runs on every line.
        let bytes = line.utf8
        guard let start = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }),
              let colon = bytes[start...].prefix(16).firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        let key = String(line[start..<colon])
        guard knownKeys.contains(key) else { return nil }
        return (key, ZpoolText.trimmed(line[bytes.index(after: colon)...]))
    }
}

/// The raw lines of one pool, grouped by section, before interpretation.
private struct PoolLines {
    let name: String
    let line: Int
    var sections: [String: [String]] = [:]
    var order: [String] = []
    var currentKey: String?

    init(name: String, line: Int) {
        self.name = name
        self.line = line
    }

    mutating func start(key: String, value: String) {
        currentKey = key
        if sections[key] == nil { order.append(key) }
        // `errors:` may appear twice (exporter-02: "List of errors unavailable…" then the count).
        sections[key, default: []].append(value)
    }

    mutating func add(_ line: String) {
        guard let currentKey else { return }
        sections[currentKey, default: []].append(line)
    }

    func build() throws(ParseError) -> ZpoolStatus {
        guard let stateWord = sections["state"].flatMap({ $0.first }).map(ZpoolText.trimmed), !stateWord.isEmpty else {
            throw ParseError(source: ZpoolStatusParser.source, line: line, reason: "pool '\(name)' has no 'state:' line")
        }
        var pool = ZpoolStatus(name: name, state: ZpoolState(rawValue: stateWord))
        pool.status = paragraph("status")
        pool.action = paragraph("action")
        pool.see = paragraph("see")
        if let scanLines = sections["scan"] ?? sections["scrub"] {
            pool.scan = ZpoolScanParser.parse(scanLines.filter { !ZpoolText.trimmed($0).isEmpty })
        }
        if let config = sections["config"] {
            let tree = ZpoolConfigParser.parse(config)
            pool.root = tree.root
            pool.logs = tree.sections["logs"] ?? []
            pool.cache = tree.sections["cache"] ?? []
            pool.spares = tree.sections["spares"] ?? []
            pool.special = tree.sections["special"] ?? []
            pool.dedup = tree.sections["dedup"] ?? []
        }
        if let errorLines = sections["errors"] {
            pool.errors = ZpoolErrorsParser.parse(errorLines)
        }
        return pool
    }

    /// Continuation lines joined with single spaces, as the text was wrapped only for the terminal.
    private func paragraph(_ key: String) -> String? {
        guard let lines = sections[key] else { return nil }
        let text = lines.map(ZpoolText.trimmed).filter { !$0.isEmpty }.joined(separator: " ")
        return text.isEmpty ? nil : text
    }
}
