/// One mounted filesystem as reported by `df`.
public struct DiskFreeEntry: Sendable, Equatable, Codable {
    /// Source device or remote, e.g. "/dev/sda2", "tmpfs", "host:/export".
    public var filesystem: String
    /// Filesystem type, only when df was run with -T (otherwise nil).
    public var type: String?
    public var sizeBytes: UInt64
    public var usedBytes: UInt64
    public var availableBytes: UInt64
    /// df's own rounded-up Use%/Capacity; nil when df printed "-" (size 0, e.g. proc).
    public var capacityPercent: Int?
    /// Mount point; may contain spaces.
    public var mountPoint: String

    public init(
        filesystem: String, type: String?, sizeBytes: UInt64, usedBytes: UInt64, availableBytes: UInt64,
        capacityPercent: Int?, mountPoint: String
    ) {
        self.filesystem = filesystem
        self.type = type
        self.sizeBytes = sizeBytes
        self.usedBytes = usedBytes
        self.availableBytes = availableBytes
        self.capacityPercent = capacityPercent
        self.mountPoint = mountPoint
    }

    /// True for kernel/virtual filesystems and snap squashfs images. They are always "100 % full"
    /// or meaningless, so disk-space alerts and charts should skip them.
    public var isPseudoFilesystem: Bool {
        PseudoFilesystems.isPseudo(filesystem: filesystem, type: type, mountPoint: mountPoint)
    }
}

/// Everything `df` printed, plus rows that could not be read.
public struct DiskFreeReport: Sendable, Equatable, Codable {
    public var entries: [DiskFreeEntry]
    /// One message per skipped row (e.g. a negative Available on a full root-reserved disk), so
    /// one odd mount does not hide all the others.
    public var warnings: [String]

    public init(entries: [DiskFreeEntry], warnings: [String]) {
        self.entries = entries
        self.warnings = warnings
    }
}
