import Foundation
import Testing
import UnityInfrastructure
import UnityParsers
import UnityTestSupport
@testable import UnityApp

/// One catalogue (AlertCatalogue.metrics, fed by SnapshotMetricCatalogue) serves the charts, the
/// rules API and its form, and docs/metrics.md: whatever a chart shows, a rule can watch.
@Suite struct MetricCatalogueTests {
    @Test func aRuleCanBeCreatedForEveryCatalogueEntry() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let listed = try await client.send(.GET, "/api/v1/alert-rules/metrics", token: admin)
            let keys = listed.jsonArray.compactMap { $0["key"] as? String }
            #expect(Set(keys) == Set(AlertCatalogue.metrics.map(\.key)), "\(listed.body)")
            for (index, metric) in AlertCatalogue.metrics.enumerated() {
                let response = try await client.send(.POST, "/api/v1/alert-rules", token: admin, json: [
                    "name": "Catalogue \(index)", "metric": metric.key, "operator": ">=", "threshold": 1, "severity": "info"])
                #expect(response.status == .created, "\(metric.key): \(response.body)")
            }
        }
    }

    /// A snapshot with every kind of series: each sample's metric is in the catalogue and is also
    /// an observation of the same key (so a rule on it can fire).
    @Test func everySampleIsCataloguedAndObserved() throws {
        let report = try SmartctlParser.parse(#"{"smartctl": {"exit_status": 0}, "device": {"name": "/dev/nvme0", "type": "nvme", "protocol": "NVMe"}, "serial_number": "N1", "smart_status": {"passed": true}, "power_on_time": {"hours": 10}, "nvme_smart_health_information_log": {"critical_warning": 0, "temperature": 40, "available_spare": 100, "available_spare_threshold": 10, "percentage_used": 3, "media_errors": 0}}"#)
        let ata = try SmartctlParser.parse(#"{"smartctl": {"exit_status": 0}, "device": {"name": "/dev/sda", "type": "sat", "protocol": "ATA"}, "serial_number": "A1", "smart_status": {"passed": true}, "rotation_rate": 7200, "temperature": {"current": 30}, "ata_smart_attributes": {"table": [{"id": 197, "name": "Current_Pending_Sector", "raw": {"value": 2}}, {"id": 199, "name": "UDMA_CRC_Error_Count", "raw": {"value": 1}}]}}"#)
        let snapshot = HostSnapshot(
            cpuPercent: 12, load: LoadAverage(one: 1, five: 2, fifteen: 3, runnableTasks: 1, totalTasks: 100, lastPID: 1),
            memory: MemoryInfo(totalBytes: 100, freeBytes: 30, availableBytes: 40, availableIsEstimated: false, buffersBytes: nil, cachedBytes: nil, swapTotalBytes: 10, swapFreeBytes: 5),
            uptimeSeconds: 100,
            filesystems: [DiskFreeEntry(filesystem: "/dev/sda1", type: "ext4", sizeBytes: 100, usedBytes: 50, availableBytes: 50, capacityPercent: 50, mountPoint: "/")],
            smart: [SmartDiskStatus(device: "/dev/nvme0", type: "nvme", report: report, assessment: SmartHealth.assess(current: report)),
                    SmartDiskStatus(device: "/dev/sda", type: "sat", report: ata, assessment: SmartHealth.assess(current: ata))],
            mdArrays: [MDArraySnapshot(name: "md0", detail: nil)])
        let metrics = SnapshotMetrics(snapshot: snapshot, previous: nil, serverID: UUID(), serverName: "nas", tags: [], at: Date())
        let catalogue = Set(AlertCatalogue.metrics.map(\.key))
        let sampled = Set(metrics.samples.map(\.metric))
        let observed = Set(metrics.observations.map(\.key))
        #expect(sampled.isSubset(of: catalogue), "uncatalogued: \(sampled.subtracting(catalogue))")
        #expect(sampled.isSubset(of: observed), "charted but not alertable: \(sampled.subtracting(observed))")
        for key in ["cpu.percent", "load.1", "load.5", "load.15", "memory.used_percent", "swap.used_percent", "uptime.seconds",
                    "filesystem.used_percent", "disk.temperature_celsius", "disk.smart_level", "disk.power_on_hours",
                    "disk.endurance_used_percent", "disk.available_spare_percent", "disk.crc_errors", "disk.bad_sectors", "md.degraded"] {
            #expect(sampled.contains(key), "\(key) not produced")
        }
        // The SMART verdict goes to the rules with its reasons.
        let level = try #require(metrics.observations.first { $0.key == "disk.smart_level" && $0.resource.name.contains("/dev/sda") })
        #expect(level.value == 2)
        #expect(level.detail?.contains("2 current pending sectors (197)") == true)
        #expect(Set(ServerPages.chartedMetrics).isSubset(of: catalogue))
    }

    @Test func docsListEveryMetric() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "docs/metrics.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for metric in AlertCatalogue.metrics {
            #expect(text.contains("| `\(metric.key)` |"), "docs/metrics.md lacks \(metric.key)")
        }
    }

    @Test func defaultRulesUseTheSmartVerdict() {
        let rules = AlertCatalogue.defaultRules.filter { $0.trigger == .metric(SnapshotMetricCatalogue.diskSmartLevel) }
        #expect(rules.map(\.id) == [AlertCatalogue.ruleID(14), AlertCatalogue.ruleID(15)])
        #expect(rules.map(\.severity) == [.critical, .warning])
        #expect(Set(AlertCatalogue.defaultRules.map(\.id)).count == AlertCatalogue.defaultRules.count)
    }
}
