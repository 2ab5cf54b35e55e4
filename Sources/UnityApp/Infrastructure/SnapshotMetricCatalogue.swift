import UnityAlerts
import UnityParsers

/// Every numeric series a snapshot produces: the one list that the history charts, the alert
/// rules (and so the rule form's choices), the metrics API and docs/metrics.md are built from.
/// `SnapshotMetrics` records each of these as a history sample *and* reports it as an
/// observation, so anything that can be charted can be alerted on.
enum SnapshotMetricCatalogue {
    static let cpuPercent = "cpu.percent"
    static let memoryUsedPercent = "memory.used_percent"
    static let swapUsedPercent = "swap.used_percent"
    static let load1 = "load.1"
    static let load5 = "load.5"
    static let load15 = "load.15"
    static let uptimeSeconds = "uptime.seconds"
    static let diskBadSectors = "disk.bad_sectors"
    static let diskSmartLevel = "disk.smart_level"
    static let diskPowerOnHours = "disk.power_on_hours"
    static let diskEnduranceUsed = "disk.endurance_used_percent"
    static let diskAvailableSpare = "disk.available_spare_percent"
    static let diskCRCErrors = "disk.crc_errors"
    static let zpoolCapacity = "zpool.capacity_percent"
    static let zpoolFragmentation = "zpool.fragmentation_percent"
    static let zpoolErrors = "zpool.errors"
    static let zpoolScanPercent = "zpool.scan_percent"
    static let mdSyncPercent = "md.sync_percent"
    static let databaseConnections = "database.connections"
    static let databaseSize = "database.size_bytes"
    static let databaseCacheHitRatio = "database.cache_hit_ratio"

    /// `disk.smart_level`: the SMART verdict as a number rules can compare; nil for `unknown`
    /// (no verdict is not a healthy disk, and not a failing one either).
    static func smartLevel(_ level: SmartHealthLevel) -> Double? {
        switch level {
        case .unknown: nil
        case .healthy: 0
        case .warning: 1
        case .critical: 2
        case .failed: 3
        }
    }

    private static func metric(_ key: String, _ resource: String, _ unit: String, _ summary: String) -> AlertMetric {
        AlertMetric(key: key, kind: .metric, source: .infrastructure, resourceType: resource, unit: unit, summary: summary)
    }

    /// Series that only `SnapshotMetrics` and the database probes produce; the keys the alert
    /// catalogue already had (filesystem.used_percent, disk.temperature_celsius, md.degraded, …)
    /// stay in `InfrastructureAlerts.metrics`.
    static let metrics: [AlertMetric] = [
        metric(cpuPercent, "server", "%", "CPU busy share between two collections"),
        metric(memoryUsedPercent, "server", "%", "Memory in use (total minus MemAvailable)"),
        metric(swapUsedPercent, "server", "%", "Swap in use"),
        metric(load1, "server", "", "1-minute load average"),
        metric(load5, "server", "", "5-minute load average"),
        metric(load15, "server", "", "15-minute load average"),
        metric(uptimeSeconds, "server", "s", "Seconds since boot (drops on a reboot)"),
        metric(diskBadSectors, "disk", "sectors", "Reallocated + pending + offline-uncorrectable sectors (NVMe media errors, SCSI grown defects)"),
        metric(diskSmartLevel, "disk", "0 healthy, 1 warning, 2 critical, 3 failed", "SMART verdict (docs/smart-levels.md); the alert message lists the reasons"),
        metric(diskPowerOnHours, "disk", "h", "Power-on hours"),
        metric(diskEnduranceUsed, "disk", "%", "NVMe percentage of rated endurance used"),
        metric(diskAvailableSpare, "disk", "%", "NVMe available spare"),
        metric(diskCRCErrors, "disk", "errors", "ATA UDMA CRC errors (cabling, backplane)"),
        metric(zpoolCapacity, "zpool", "%", "Pool capacity used"),
        metric(zpoolFragmentation, "zpool", "%", "Free-space fragmentation"),
        metric(zpoolErrors, "zpool", "errors", "Read + write + checksum errors over all vdevs"),
        metric(zpoolScanPercent, "zpool", "%", "Progress of a running scrub or resilver"),
        metric(mdSyncPercent, "md_array", "%", "Resync, recovery, reshape or check progress"),
        metric(databaseConnections, "database", "connections", "Open connections of a probed database"),
        metric(databaseSize, "database", "bytes", "Size of a probed database"),
        metric(databaseCacheHitRatio, "database", "0-1", "Buffer cache hit ratio of a probed database"),
    ]
}
