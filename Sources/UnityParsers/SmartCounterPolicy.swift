/// From which count a failure counter is `critical` rather than a `warning` (SmartHealth rule 4).
///
/// Calibrated to Backblaze's drive-stats data as Scrutiny publishes it per raw-value range
/// (`webapp/backend/pkg/thresholds/ata_attribute_metadata.go`), with Scrutiny's own cut-off: an
/// annual failure rate of 20 % or more is a failing drive. A healthy drive (raw value 0) fails
/// at 2–3 % a year. See docs/smart-levels.md for the full table and sources.
public enum SmartCounterPolicy {
    public struct Counter: Sendable, Equatable {
        public var id: Int
        public var label: String
        /// First raw value whose observed annual failure rate is ≥ 20 %.
        public var criticalAt: Int
    }

    public static let ata: [Counter] = [
        // 1–4: 2.7 %, 4–16: 7.5 %, 16–70: 23.6 % a year.
        Counter(id: SmartAttributeID.reallocatedSectors, label: "reallocated sectors (5)", criticalAt: 16),
        // 1: 33.9 % a year.
        Counter(id: SmartAttributeID.reportedUncorrectable, label: "reported uncorrectable errors (187)", criticalAt: 1),
        // Seagate packs three 16-bit counters into 188; the ranges reach 20 % only beyond 13·10⁹,
        // i.e. when the upper counters move. Below that: 10 %, a warning.
        Counter(id: SmartAttributeID.commandTimeout, label: "command timeouts (188)", criticalAt: 13_000_000_000),
        // 1–2: 34.2 % a year.
        Counter(id: SmartAttributeID.currentPendingSectors, label: "current pending sectors (197)", criticalAt: 1),
        // 1–2: 81.4 % a year.
        Counter(id: SmartAttributeID.offlineUncorrectable, label: "offline uncorrectable sectors (198)", criticalAt: 1),
    ]

    /// SCSI grown defects have no published per-count failure rates; SAS drives ship with a
    /// few and remap routinely, so a large list (or growth) is what marks a degrading drive.
    public static let scsiGrownDefectsCritical = 100
}
