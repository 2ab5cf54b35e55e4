/// How worried to be about one drive.
public enum SmartHealthLevel: String, Sendable, Equatable, Hashable, Codable, Comparable, CaseIterable {
    /// No verdict possible: device could not be opened, has no SMART (virtual disk) or returned no data.
    case unknown
    case healthy
    /// Something to watch or fix (cabling, first reallocated sectors, warm drive).
    case warning
    /// Degrading now: plan a replacement soon and check backups.
    case critical
    /// The drive itself says it is failing: replace it.
    case failed

    private var severity: Int {
        switch self {
        case .unknown: 0
        case .healthy: 1
        case .warning: 2
        case .critical: 3
        case .failed: 4
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.severity < rhs.severity }
}

public struct SmartAssessment: Sendable, Equatable, Codable {
    public var level: SmartHealthLevel
    /// Human-readable findings, most important first; empty when healthy.
    public var reasons: [String]

    public init(level: SmartHealthLevel, reasons: [String] = []) {
        self.level = level
        self.reasons = reasons
    }
}

/// Warning/critical temperature limits in °C for one medium.
public struct SmartTemperatureLimit: Sendable, Equatable, Codable {
    public var warning: Int
    public var critical: Int

    public init(warning: Int, critical: Int) {
        self.warning = warning
        self.critical = critical
    }
}

/// Temperature limits per medium. The defaults follow typical datasheet operating ranges:
/// 3.5" HDDs are specified up to ~60 °C and Backblaze/Google fleet data shows wear above ~50 °C;
/// SATA SSDs are usually rated to 70 °C; NVMe controllers run hot by design and start throttling
/// around 75–85 °C (their own warning threshold is typically 70–80 °C).
public struct SmartTemperatureLimits: Sendable, Equatable, Codable {
    public var hdd: SmartTemperatureLimit
    public var ssd: SmartTemperatureLimit
    public var nvme: SmartTemperatureLimit

    public init(hdd: SmartTemperatureLimit, ssd: SmartTemperatureLimit, nvme: SmartTemperatureLimit) {
        self.hdd = hdd
        self.ssd = ssd
        self.nvme = nvme
    }

    public static let defaults = SmartTemperatureLimits(
        hdd: SmartTemperatureLimit(warning: 50, critical: 60),
        ssd: SmartTemperatureLimit(warning: 65, critical: 75),
        nvme: SmartTemperatureLimit(warning: 70, critical: 80))

    /// Unknown media get the HDD limits: the strictest, so an unclassified drive is not ignored.
    public func limit(for media: SmartMediaType) -> SmartTemperatureLimit {
        switch media {
        case .hdd, .unknown: hdd
        case .ssd: ssd
        case .nvme: nvme
        }
    }
}
