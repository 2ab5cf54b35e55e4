/// One line of `zpool list -Hp`.
public struct ZpoolListEntry: Sendable, Equatable, Codable {
    public var name: String
    public var sizeBytes: Int
    public var allocatedBytes: Int
    public var freeBytes: Int
    /// Space held by a checkpoint; `nil` when zpool prints "-" (no checkpoint).
    public var checkpointBytes: Int?
    /// Unused space that `zpool online -e` could add; `nil` for "-".
    public var expandSizeBytes: Int?
    /// Free-space fragmentation; `nil` for "-" (unknown, e.g. without spacemap_histogram).
    public var fragmentationPercent: Int?
    public var capacityPercent: Int?
    public var dedupRatio: Double?
    public var health: ZpoolState
    /// `nil` for "-" (no alternate root).
    public var altroot: String?

    public init(
        name: String, sizeBytes: Int, allocatedBytes: Int, freeBytes: Int, checkpointBytes: Int? = nil,
        expandSizeBytes: Int? = nil, fragmentationPercent: Int? = nil, capacityPercent: Int? = nil,
        dedupRatio: Double? = nil, health: ZpoolState, altroot: String? = nil
    ) {
        self.name = name
        self.sizeBytes = sizeBytes
        self.allocatedBytes = allocatedBytes
        self.freeBytes = freeBytes
        self.checkpointBytes = checkpointBytes
        self.expandSizeBytes = expandSizeBytes
        self.fragmentationPercent = fragmentationPercent
        self.capacityPercent = capacityPercent
        self.dedupRatio = dedupRatio
        self.health = health
        self.altroot = altroot
    }
}

/// Parses `zpool list -Hp` (default columns: name size alloc free ckpoint expandsz frag cap dedup
/// health altroot), tab-separated with exact byte counts. Also accepts the pre-checkpoint
/// 10-column layout (ZoL 0.7) and human-readable sizes ("1.81T"), which are decoded approximately.
///
/// With `-H` zpool prints nothing at all when there are no pools, so empty output is an empty list.
public enum ZpoolListParser {
    static let source = "zpool list -Hp"

    public static func parse(_ output: String) throws(ParseError) -> [ZpoolListEntry] {
        var entries: [ZpoolListEntry] = []
        for (offset, line) in ZpoolText.lines(output).enumerated() {
            if ZpoolText.isBlank(line) { continue }
            if ZpoolText.trimmed(line) == "no pools available" { continue }
            entries.append(try entry(line, lineNumber: offset + 1))
        }
        return entries
    }

    private static func entry(_ line: Substring, lineNumber: Int) throws(ParseError) -> ZpoolListEntry {
        // -H separates with single tabs; fall back to runs of spaces for hand-copied output.
        let tabFields = line.split(separator: "\t", omittingEmptySubsequences: false).map { ZpoolText.trimmed($0) }
        var fields = tabFields.count > 1 ? tabFields : ZpoolText.words(line).map(String.init)
        if fields.count == 10 { fields.insert("-", at: 4) }  // ZoL 0.7: no ckpoint column
        guard fields.count == 11 else {
            throw ParseError(source: source, line: lineNumber, reason: "expected 11 columns, found \(fields.count)")
        }
        func bytes(_ index: Int, _ column: String) throws(ParseError) -> Int {
            guard let value = ZpoolNumbers.size(fields[index]) else {
                throw ParseError(source: source, line: lineNumber, reason: "\(column) '\(fields[index])' is not a byte count")
            }
            return value
        }
        let name = fields[0]
        guard !name.isEmpty else { throw ParseError(source: source, line: lineNumber, reason: "empty pool name") }
        let health = fields[9]
        guard !health.isEmpty, health.allSatisfy({ $0.isUppercase }) else {
            throw ParseError(source: source, line: lineNumber, reason: "health '\(health)' is not a pool state")
        }
        return ZpoolListEntry(
            name: name,
            sizeBytes: try bytes(1, "size"),
            allocatedBytes: try bytes(2, "alloc"),
            freeBytes: try bytes(3, "free"),
            checkpointBytes: ZpoolNumbers.size(fields[4]),
            expandSizeBytes: ZpoolNumbers.size(fields[5]),
            fragmentationPercent: percent(fields[6]),
            capacityPercent: percent(fields[7]),
            dedupRatio: ratio(fields[8]),
            health: ZpoolState(rawValue: health),
            altroot: fields[10] == "-" ? nil : fields[10])
    }

    /// "12" (-p) or "12%".
    private static func percent(_ text: String) -> Int? {
        ZpoolNumbers.unsignedInteger(Substring(text.hasSuffix("%") ? String(text.dropLast()) : text))
    }

    /// "1.00" (-p) or "1.00x".
    private static func ratio(_ text: String) -> Double? {
        ZpoolNumbers.percent(Substring(text.hasSuffix("x") ? String(text.dropLast()) : text))
    }
}
