import Foundation
import UnityAlerts
import UnityInfrastructure
import UnityParsers

/// What one collected snapshot becomes: history samples for charts, and observations for the
/// alert rules. Every sample is also an observation of the same key (see
/// `SnapshotMetricCatalogue`), so whatever a chart shows, a rule can watch. Pure: the same
/// snapshot always gives the same values.
struct SnapshotMetrics {
    var samples: [MetricStore.Value] = []
    var observations: [Observation] = []

    init(snapshot: HostSnapshot, previous: HostSnapshot?, serverID: UUID, serverName: String, tags: Set<String>, at: Date) {
        let server = serverID.uuidString
        func observe(_ resource: ResourceRef, _ key: String, _ value: Double, _ detail: String? = nil) {
            observations.append(Observation(resource: resource, tags: tags, key: key, value: value, detail: detail, at: at))
        }
        /// A history sample that is also an observation of the same key.
        func record(_ resource: ResourceRef, _ series: String, _ metric: String, _ value: Double?, _ detail: String? = nil) {
            guard let value, value.isFinite else { return }
            samples.append(.init(series: series, metric: metric, value: value))
            observe(resource, metric, value, detail)
        }

        let host = ResourceRef(type: "server", id: server, name: serverName, serverID: server)
        observe(host, InfrastructureAlerts.serverDown, 0)
        record(host, "host", SnapshotMetricCatalogue.cpuPercent, snapshot.cpuPercent)
        record(host, "host", SnapshotMetricCatalogue.load1, snapshot.load?.one)
        record(host, "host", SnapshotMetricCatalogue.load5, snapshot.load?.five)
        record(host, "host", SnapshotMetricCatalogue.load15, snapshot.load?.fifteen)
        record(host, "host", SnapshotMetricCatalogue.uptimeSeconds, snapshot.uptimeSeconds)
        if let memory = snapshot.memory, memory.totalBytes > 0 {
            record(host, "host", SnapshotMetricCatalogue.memoryUsedPercent,
                   Double(memory.totalBytes - min(memory.availableBytes, memory.totalBytes)) / Double(memory.totalBytes) * 100)
            if let total = memory.swapTotalBytes, total > 0, let used = memory.swapUsedBytes {
                record(host, "host", SnapshotMetricCatalogue.swapUsedPercent, Double(used) / Double(total) * 100)
            }
        }

        for fs in snapshot.filesystems where fs.sizeBytes > 0 {
            let used = Double(fs.usedBytes) / Double(fs.usedBytes + fs.availableBytes > 0 ? fs.usedBytes + fs.availableBytes : fs.sizeBytes) * 100
            let resource = ResourceRef(type: "filesystem", id: "\(server):\(fs.mountPoint)", name: "\(serverName) \(fs.mountPoint)", serverID: server)
            record(resource, "fs:\(fs.mountPoint)", InfrastructureAlerts.filesystemUsed, (used * 10).rounded() / 10)
        }

        for disk in snapshot.smart { recordDisk(disk, previous: previous, server: server, serverName: serverName, record: record, observe: observe) }
        for pool in snapshot.zpools { recordPool(pool, server: server, serverName: serverName, at: at, record: record, observe: observe) }

        for array in snapshot.mdArrays {
            let resource = ResourceRef(type: "md_array", id: "\(server):\(array.name)", name: "\(serverName) \(array.name)", serverID: server)
            let missing = max(0, (array.detail?.raidDevices ?? array.status?.raidDisks ?? 0) - (array.detail?.activeDevices ?? array.status?.activeDisks ?? 0))
            let failed = array.detail?.failedDevices ?? array.status?.faultyMembers.count ?? 0
            let inactive = array.status.map { !$0.isActive } ?? array.detail?.isInactive ?? false
            let degraded = Double(max(missing, failed, inactive ? 1 : 0))
            record(resource, "md:\(array.name)", InfrastructureAlerts.mdDegraded, degraded,
                   degraded > 0 ? "\(resource.name) is \(inactive ? "inactive" : "degraded"): \(missing) missing, \(failed) failed" : nil)
            record(resource, "md:\(array.name)", SnapshotMetricCatalogue.mdSyncPercent, array.status?.progress?.percent ?? array.detail?.syncStatus?.percent)
        }
    }

    private typealias Record = (ResourceRef, String, String, Double?, String?) -> Void
    private typealias Observe = (ResourceRef, String, Double, String?) -> Void

    /// Series and alerts follow the disk's identity (serial, else WWN, else device + type), so two
    /// disks on one controller node stay apart and a disk that moves keeps its history.
    private func recordDisk(_ disk: SmartDiskStatus, previous: HostSnapshot?, server: String, serverName: String,
                            record: Record, observe: Observe) {
        let report = disk.report
        let name = "\(serverName) \(disk.slot)\(report.modelName.map { " (\($0))" } ?? "")"
        let resource = ResourceRef(type: "disk", id: "\(server):\(disk.identity)", name: name, serverID: server)
        let series = "disk:\(disk.identity)"
        let temperature = report.temperatureCelsius ?? report.nvmeHealth?.temperatureCelsius
        record(resource, series, InfrastructureAlerts.diskTemperature, temperature.map(Double.init), nil)
        if let passed = report.smartPassed {
            observe(resource, InfrastructureAlerts.smartFailed, passed ? 0 : 1, passed ? nil : "\(name): SMART overall health FAILED")
        }
        let level = SnapshotMetricCatalogue.smartLevel(disk.assessment.level)
        let verdict = disk.assessment.reasons.isEmpty ? nil
            : "\(name) is \(disk.assessment.level.rawValue): \(disk.assessment.reasons.joined(separator: "; "))"
        record(resource, series, SnapshotMetricCatalogue.diskSmartLevel, level, verdict)
        let sectors = Self.badSectors(report)
        record(resource, series, SnapshotMetricCatalogue.diskBadSectors, sectors.map(Double.init), nil)
        if let sectors {
            let before = previous?.smart.first { $0.identity == disk.identity }.flatMap { Self.badSectors($0.report) }
            let growth = max(0, sectors - (before ?? sectors))
            observe(resource, InfrastructureAlerts.sectorsGrowing, Double(growth),
                    growth > 0 ? "\(name): \(growth) more reallocated/pending sectors (now \(sectors))" : nil)
        }
        record(resource, series, SnapshotMetricCatalogue.diskPowerOnHours, (report.powerOnHours ?? report.nvmeHealth?.powerOnHours).map(Double.init), nil)
        record(resource, series, SnapshotMetricCatalogue.diskEnduranceUsed, report.nvmeHealth?.percentageUsed.map(Double.init), nil)
        record(resource, series, SnapshotMetricCatalogue.diskAvailableSpare, report.nvmeHealth?.availableSpare.map(Double.init), nil)
        record(resource, series, SnapshotMetricCatalogue.diskCRCErrors, report.udmaCRCErrors.map(Double.init), nil)
        if let warning = report.nvmeHealth?.criticalWarning {
            observe(resource, InfrastructureAlerts.nvmeCriticalWarning, Double(warning.rawValue),
                    warning.rawValue > 0 ? "\(name): NVMe critical warning \(warning.setBitNames.joined(separator: ", "))" : nil)
        }
    }

    private func recordPool(_ pool: ZpoolSnapshot, server: String, serverName: String, at: Date, record: Record, observe: Observe) {
        let resource = ResourceRef(type: "zpool", id: "\(server):\(pool.name)", name: "\(serverName) pool \(pool.name)", serverID: server)
        let series = "zpool:\(pool.name)"
        if let state = pool.status?.state ?? pool.list?.health {
            observe(resource, InfrastructureAlerts.poolNotOnline, state.isHealthy ? 0 : 1, state.isHealthy ? nil : "\(resource.name) is \(state.rawValue)")
        }
        record(resource, series, SnapshotMetricCatalogue.zpoolCapacity, pool.list?.capacityPercent.map(Double.init), nil)
        record(resource, series, SnapshotMetricCatalogue.zpoolFragmentation, pool.list?.fragmentationPercent.map(Double.init), nil)
        guard let status = pool.status else { return }
        let errors = Double(status.allDevices.reduce(0) { $0 + $1.totalErrors })
        record(resource, series, SnapshotMetricCatalogue.zpoolErrors, errors, nil)
        observe(resource, InfrastructureAlerts.checksumErrors, errors, nil)
        if status.scan?.state == .inProgress {
            record(resource, series, SnapshotMetricCatalogue.zpoolScanPercent, status.scan?.progress?.percentDone, nil)
        }
        if let scan = status.scan, scan.operation == .scrub, scan.state == .finished, let finished = scan.timestamp?.date(in: .current) {
            observe(resource, InfrastructureAlerts.scrubAge, (at.timeIntervalSince(finished) / 86_400).rounded(.down), nil)
        } else if status.scan?.state == .noneRequested {
            observe(resource, InfrastructureAlerts.scrubAge, 9_999, "\(resource.name) has never been scrubbed")
        }
    }

    /// Reallocated (5) + current pending (197) + offline uncorrectable (198), or NVMe media errors.
    static func badSectors(_ report: SmartReport) -> Int? {
        let ids: Set<Int> = [5, 197, 198]
        let values = report.ataAttributes.filter { ids.contains($0.id) }.compactMap(\.rawValue)
        if !values.isEmpty { return values.reduce(0, +) }
        return report.nvmeHealth?.mediaErrors ?? report.scsiGrownDefectList
    }
}
