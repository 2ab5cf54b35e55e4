/// One row of the ATA SMART attribute table.
public struct SmartAttribute: Sendable, Equatable, Codable {
    public var id: Int
    public var name: String
    /// Vendor-normalized value (usually 1…253, higher is better).
    public var normalized: Int?
    public var worst: Int?
    /// The normalized value at or below which the vendor considers the attribute failed.
    public var threshold: Int?
    /// "now" or "past" when `normalized` is or was at/below `threshold`; `nil` otherwise.
    public var whenFailed: String?
    /// The raw counter. For most failure counters this is a plain count; for temperature-like
    /// attributes vendors pack several 16-bit fields into it, so prefer `rawString` for display.
    public var rawValue: Int?
    public var rawString: String?
    /// Pre-failure attribute (as opposed to old-age/usage).
    public var prefailure: Bool?

    public init(
        id: Int, name: String, normalized: Int? = nil, worst: Int? = nil, threshold: Int? = nil,
        whenFailed: String? = nil, rawValue: Int? = nil, rawString: String? = nil,
        prefailure: Bool? = nil
    ) {
        self.id = id
        self.name = name
        self.normalized = normalized
        self.worst = worst
        self.threshold = threshold
        self.whenFailed = whenFailed
        self.rawValue = rawValue
        self.rawString = rawString
        self.prefailure = prefailure
    }

    public var isFailingNow: Bool { whenFailed == "now" }
    public var failedInPast: Bool { whenFailed == "past" }
}

/// Well-known ATA attribute ids. The first five are the ones Backblaze found to predict failure
/// across vendors; 199 points at cables and connectors rather than the drive.
public enum SmartAttributeID {
    public static let reallocatedSectors = 5
    public static let reportedUncorrectable = 187
    public static let commandTimeout = 188
    public static let currentPendingSectors = 197
    public static let offlineUncorrectable = 198
    public static let udmaCRCErrors = 199
}

extension SmartReport {
    /// The first attribute with `id` (ids are unique in practice; the first wins if not).
    public func attribute(id: Int) -> SmartAttribute? {
        ataAttributes.first { $0.id == id }
    }

    /// Raw value of attribute 5, sectors remapped to spare area.
    public var reallocatedSectors: Int? { attribute(id: SmartAttributeID.reallocatedSectors)?.rawValue }
    /// Raw value of attribute 187, errors ECC could not correct.
    public var reportedUncorrectable: Int? { attribute(id: SmartAttributeID.reportedUncorrectable)?.rawValue }
    /// Raw value of attribute 188. Some Seagate firmware packs three 16-bit counters into it, so a
    /// large number is not necessarily many timeouts — but any non-zero value is still a signal.
    public var commandTimeouts: Int? { attribute(id: SmartAttributeID.commandTimeout)?.rawValue }
    /// Raw value of attribute 197, unstable sectors waiting to be remapped.
    public var currentPendingSectors: Int? { attribute(id: SmartAttributeID.currentPendingSectors)?.rawValue }
    /// Raw value of attribute 198, sectors that failed an offline scan.
    public var offlineUncorrectable: Int? { attribute(id: SmartAttributeID.offlineUncorrectable)?.rawValue }
    /// Raw value of attribute 199, interface CRC errors: a cable/backplane problem, not a failing drive.
    public var udmaCRCErrors: Int? { attribute(id: SmartAttributeID.udmaCRCErrors)?.rawValue }
}
