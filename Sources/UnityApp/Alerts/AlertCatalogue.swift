import Foundation
import UnityAlerts

/// A value or event a feature reports to the alert pipeline. Rules may only name keys listed
/// here, so a typo in a rule is a 422 instead of a rule that silently never fires.
struct AlertMetric: Sendable, Hashable {
    enum Kind: String, Sendable, Codable { case metric, event }
    var key: String
    var kind: Kind
    var source: AlertSource
    /// What the observations are about: `server`, `filesystem`, `disk`, `zpool`, `md_array`, …
    var resourceType: String
    var unit: String
    var summary: String
}

/// Every metric and event Unity produces, and the rules each feature ships.
enum AlertCatalogue {
    /// Snapshot series (`SnapshotMetricCatalogue`) are here too: every charted series is alertable.
    static let metrics: [AlertMetric] = InfrastructureAlerts.metrics + SnapshotMetricCatalogue.metrics + CredentialsAlerts.metrics + ContainerAlerts.metrics + ContainerUpdateAlerts.metrics + [
        AlertMetric(key: SystemRules.channelFailingKey, kind: .event, source: .system, resourceType: "notification_channel",
                    unit: "1 failing, 0 recovered", summary: "A notification channel keeps failing after retries"),
    ]

    static let defaultRules: [AlertRule] = InfrastructureAlerts.rules + CredentialsAlerts.rules + ContainerAlerts.rules + ContainerUpdateAlerts.rules + SystemRules.all

    static func metric(_ key: String) -> AlertMetric? { metrics.first { $0.key == key } }

    static func isDefault(_ id: UUID) -> Bool { defaultRules.contains { $0.id == id } }

    /// Fixed ids: `5e0b7e1a-0000-4000-8000-0000000000NN`, NN per rule, never reused.
    static func ruleID(_ number: Int) -> UUID {
        UUID(uuidString: String(format: "5e0b7e1a-0000-4000-8000-%012d", number)) ?? UUID()
    }
}

/// Infrastructure (issue "monitoring"): reachability, filesystems, SMART, ZFS, mdadm, databases.
enum InfrastructureAlerts {
    static let serverDown = "server.down"
    static let hostKeyChanged = "ssh.host_key_changed"
    static let filesystemUsed = "filesystem.used_percent"
    static let smartFailed = "disk.smart_failed"
    static let sectorsGrowing = "disk.bad_sectors_growth"
    static let nvmeCriticalWarning = "disk.nvme_critical_warning"
    static let diskTemperature = "disk.temperature_celsius"
    static let poolNotOnline = "zpool.not_online"
    static let scrubAge = "zpool.scrub_age_days"
    static let checksumErrors = "zpool.checksum_errors"
    static let mdDegraded = "md.degraded"
    static let databaseDown = "database.down"

    static let metrics: [AlertMetric] = [
        .init(key: serverDown, kind: .metric, source: .infrastructure, resourceType: "server", unit: "1 unreachable, 0 reachable", summary: "The server did not answer over SSH"),
        .init(key: hostKeyChanged, kind: .event, source: .infrastructure, resourceType: "server", unit: "1", summary: "The server presented a host key that is not pinned"),
        .init(key: filesystemUsed, kind: .metric, source: .infrastructure, resourceType: "filesystem", unit: "%", summary: "Used space of a mounted filesystem"),
        .init(key: smartFailed, kind: .metric, source: .infrastructure, resourceType: "disk", unit: "1 failed, 0 passed", summary: "SMART overall health self-assessment failed"),
        .init(key: sectorsGrowing, kind: .metric, source: .infrastructure, resourceType: "disk", unit: "sectors", summary: "Growth of reallocated + pending + offline-uncorrectable sectors since the previous sample"),
        .init(key: nvmeCriticalWarning, kind: .metric, source: .infrastructure, resourceType: "disk", unit: "bit mask", summary: "NVMe critical warning field"),
        .init(key: diskTemperature, kind: .metric, source: .infrastructure, resourceType: "disk", unit: "°C", summary: "Drive temperature"),
        .init(key: poolNotOnline, kind: .metric, source: .infrastructure, resourceType: "zpool", unit: "1 not ONLINE, 0 ONLINE", summary: "ZFS pool health is not ONLINE"),
        .init(key: scrubAge, kind: .metric, source: .infrastructure, resourceType: "zpool", unit: "days", summary: "Days since the last completed scrub"),
        .init(key: checksumErrors, kind: .metric, source: .infrastructure, resourceType: "zpool", unit: "errors", summary: "Read, write and checksum errors over the pool's vdevs"),
        .init(key: mdDegraded, kind: .metric, source: .infrastructure, resourceType: "md_array", unit: "failed or missing members", summary: "mdadm array degraded, inactive or with a failed member"),
        .init(key: databaseDown, kind: .metric, source: .infrastructure, resourceType: "database", unit: "1 down, 0 up", summary: "A discovered database did not answer its probe"),
    ]

    static let rules: [AlertRule] = [
        AlertRule(id: AlertCatalogue.ruleID(1), name: "SSH host key changed", source: .infrastructure, trigger: .event(hostKeyChanged),
                  comparison: .greaterOrEqual, threshold: 1, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(2), name: "Server unreachable", source: .infrastructure, trigger: .metric(serverDown),
                  comparison: .greaterOrEqual, threshold: 1, forDuration: 600, severity: .critical,
                  messageTemplate: "{{resource}} has not answered over SSH for 10 minutes"),
        AlertRule(id: AlertCatalogue.ruleID(3), name: "Filesystem almost full", source: .infrastructure, trigger: .metric(filesystemUsed),
                  comparison: .greaterThan, threshold: 85, clearThreshold: 80, severity: .warning,
                  messageTemplate: "{{resource}} is {{value}}% full"),
        AlertRule(id: AlertCatalogue.ruleID(4), name: "Filesystem full", source: .infrastructure, trigger: .metric(filesystemUsed),
                  comparison: .greaterThan, threshold: 95, clearThreshold: 90, severity: .critical,
                  messageTemplate: "{{resource}} is {{value}}% full"),
        AlertRule(id: AlertCatalogue.ruleID(5), name: "SMART health failed", source: .infrastructure, trigger: .metric(smartFailed),
                  comparison: .greaterOrEqual, threshold: 1, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(6), name: "Bad sectors growing", source: .infrastructure, trigger: .metric(sectorsGrowing),
                  comparison: .greaterThan, threshold: 0, severity: .warning,
                  messageTemplate: "{{resource}}: {{value}} more reallocated/pending sectors since the last check"),
        AlertRule(id: AlertCatalogue.ruleID(7), name: "NVMe critical warning", source: .infrastructure, trigger: .metric(nvmeCriticalWarning),
                  comparison: .greaterThan, threshold: 0, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(8), name: "Disk temperature high", source: .infrastructure, trigger: .metric(diskTemperature),
                  comparison: .greaterThan, threshold: 55, clearThreshold: 50, forDuration: 600, severity: .warning,
                  messageTemplate: "{{resource}} is at {{value}} °C"),
        AlertRule(id: AlertCatalogue.ruleID(9), name: "ZFS pool not online", source: .infrastructure, trigger: .metric(poolNotOnline),
                  comparison: .greaterOrEqual, threshold: 1, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(10), name: "ZFS scrub overdue", source: .infrastructure, trigger: .metric(scrubAge),
                  comparison: .greaterThan, threshold: 35, severity: .warning,
                  messageTemplate: "{{resource}} was last scrubbed {{value}} days ago"),
        AlertRule(id: AlertCatalogue.ruleID(11), name: "ZFS checksum errors", source: .infrastructure, trigger: .metric(checksumErrors),
                  comparison: .greaterThan, threshold: 0, severity: .warning,
                  messageTemplate: "{{resource}} has {{value}} read/write/checksum errors"),
        AlertRule(id: AlertCatalogue.ruleID(12), name: "RAID array degraded", source: .infrastructure, trigger: .metric(mdDegraded),
                  comparison: .greaterOrEqual, threshold: 1, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(13), name: "Database down", source: .infrastructure, trigger: .metric(databaseDown),
                  comparison: .greaterOrEqual, threshold: 1, forDuration: 300, severity: .critical),
        // The SMART verdict (docs/smart-levels.md): the alert message carries the verdict's reasons.
        AlertRule(id: AlertCatalogue.ruleID(14), name: "Disk degrading", source: .infrastructure,
                  trigger: .metric(SnapshotMetricCatalogue.diskSmartLevel), comparison: .greaterOrEqual, threshold: 2, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(15), name: "Disk health warning", source: .infrastructure,
                  trigger: .metric(SnapshotMetricCatalogue.diskSmartLevel), comparison: .greaterOrEqual, threshold: 1, severity: .warning),
    ]
}

/// Credentials: certificate expiry stages, failed renewals and deployments.
enum CredentialsAlerts {
    /// The smallest expiry threshold (30, 14, 7 or 1 days) a certificate has crossed, 0 before.
    /// One value per stage, so each stage notifies once and the previous stage's alert resolves.
    static let expiryStage = "certificate.expiry_stage"
    static let renewalFailed = "acme.renewal_failed"
    static let notServed = "certificate.not_served"
    static let distributionFailed = "ssh_key.distribution_failed"
    static let keyUnusedDays = "ssh_key.unused_days"

    static let metrics: [AlertMetric] = [
        .init(key: expiryStage, kind: .metric, source: .credentials, resourceType: "certificate", unit: "days (30, 14, 7, 1; 0 = not yet)", summary: "Expiry threshold a certificate has crossed"),
        .init(key: renewalFailed, kind: .event, source: .credentials, resourceType: "certificate", unit: "1 failed, 0 renewed", summary: "An ACME renewal attempt failed"),
        .init(key: notServed, kind: .event, source: .credentials, resourceType: "certificate", unit: "1 not served, 0 served", summary: "A deployed certificate is not the one the service presents"),
        .init(key: keyUnusedDays, kind: .metric, source: .credentials, resourceType: "ssh_key", unit: "days", summary: "Days since the key last logged in to a server"),
        .init(key: distributionFailed, kind: .event, source: .credentials, resourceType: "server", unit: "1 failed, 0 succeeded", summary: "Installing, revoking or rotating a key failed on a server"),
    ]

    static let rules: [AlertRule] = [
        stage(30, number: 20, severity: .info),
        stage(14, number: 21, severity: .warning),
        stage(7, number: 22, severity: .warning),
        stage(1, number: 23, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(24), name: "Certificate renewal failed", source: .credentials, trigger: .event(renewalFailed),
                  comparison: .greaterOrEqual, threshold: 1, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(25), name: "Certificate renewed but not served", source: .credentials, trigger: .event(notServed),
                  comparison: .greaterOrEqual, threshold: 1, severity: .critical),
        AlertRule(id: AlertCatalogue.ruleID(26), name: "Key distribution failed", source: .credentials, trigger: .event(distributionFailed),
                  comparison: .greaterOrEqual, threshold: 1, severity: .warning),
        AlertRule(id: AlertCatalogue.ruleID(27), name: "SSH key unused", source: .credentials, trigger: .metric(keyUnusedDays),
                  comparison: .greaterOrEqual, threshold: 90, severity: .info,
                  messageTemplate: "SSH key {{resource}} has not been used for {{value}} days"),
    ]

    private static func stage(_ days: Int, number: Int, severity: AlertSeverity) -> AlertRule {
        AlertRule(id: AlertCatalogue.ruleID(number), name: "Certificate expires within \(days) day\(days == 1 ? "" : "s")",
                  source: .credentials, trigger: .metric(expiryStage), comparison: .equal, threshold: Double(days),
                  severity: severity, messageTemplate: "{{resource}} expires within \(days) day\(days == 1 ? "" : "s")")
    }
}
