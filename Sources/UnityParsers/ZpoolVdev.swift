/// One line of the `config:` tree of `zpool status`, with its children.
public struct ZpoolVdev: Sendable, Equatable, Codable {
    /// Pool name, group name ("mirror-0", "raidz2-0", "replacing-1", "spare-4") or device.
    public var name: String
    /// `nil` only for malformed lines; section headers (logs, cache, …) are not vdevs.
    public var state: ZpoolState?
    /// READ/WRITE/CKSUM error counters. Human-readable values ("1.2K") are decoded 1024-based and
    /// so approximate; `zpool status -p` prints them exactly.
    public var readErrors: Int?
    public var writeErrors: Int?
    public var checksumErrors: Int?
    /// Trailing text: "was /dev/sdc1", "(resilvering)", "corrupted data", "cannot open",
    /// "too many errors", "insufficient replicas", "currently in use"…
    public var note: String?
    public var children: [ZpoolVdev]

    public init(
        name: String, state: ZpoolState? = nil, readErrors: Int? = nil, writeErrors: Int? = nil,
        checksumErrors: Int? = nil, note: String? = nil, children: [ZpoolVdev] = []
    ) {
        self.name = name
        self.state = state
        self.readErrors = readErrors
        self.writeErrors = writeErrors
        self.checksumErrors = checksumErrors
        self.note = note
        self.children = children
    }

    public enum Kind: String, Sendable, Equatable, Codable {
        case mirror, raidz1, raidz2, raidz3, draid, replacing, spare, disk, otherGroup
    }

    /// What this vdev is, from its name: ZFS names groups "<type>-<index>".
    public var kind: Kind {
        let type = name.split(separator: "-", maxSplits: 1).first.map(String.init) ?? name
        switch type {
        case "mirror": return .mirror
        case "raidz", "raidz1": return .raidz1
        case "raidz2": return .raidz2
        case "raidz3": return .raidz3
        case "replacing": return .replacing
        case "spare": return .spare
        default:
            if name.hasPrefix("draid") { return .draid }
            return children.isEmpty ? .disk : .otherGroup
        }
    }

    /// The device path a missing device used to have ("was /dev/sdx"): zpool shows such a device by
    /// its GUID, so this is the only hint of which disk is gone.
    public var previousPath: String? {
        guard let note, note.hasPrefix("was ") else { return nil }
        return String(note.dropFirst(4))
    }

    public var isResilvering: Bool { note?.contains("(resilvering)") ?? false }

    /// Sum of the three counters; saturates instead of overflowing.
    public var totalErrors: Int {
        [readErrors, writeErrors, checksumErrors].reduce(0) { total, value in
            let (sum, overflow) = total.addingReportingOverflow(max(value ?? 0, 0))
            return overflow ? Int.max : sum
        }
    }

    /// This vdev and every descendant, depth first (iterative: no recursion depth to exhaust).
    public var flattened: [ZpoolVdev] {
        var result: [ZpoolVdev] = []
        var pending = [self]
        while let next = pending.popLast() {
            result.append(next)
            pending.append(contentsOf: next.children.reversed())
        }
        return result
    }

    /// Devices only (no groups).
    public var leaves: [ZpoolVdev] { flattened.filter(\.children.isEmpty) }
}
