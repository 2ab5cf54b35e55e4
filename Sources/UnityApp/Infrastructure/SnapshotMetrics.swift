import Foundation
import UnityAlerts
import UnityInfrastructure
import UnityParsers

/// What one collected snapshot becomes: history samples for charts, and observations for the
/// alert rules. Pure: the same snapshot always gives the same values.
struct SnapshotMetrics {
    var samples: [MetricStore.Value] = []
    var observations: [Observation] = []

    init(snapshot: HostSnapshot, previous: HostSnapshot?, serverID: UUID, serverName: String, tags: Set<String>, at: Date) {
        let server = serverID.uuidString
        func observe(_ type: String, _ id: String, _ name: String, _ key: String, _ value: Double, _ detail: String? = nil) {
            observations.append(Observation(resource: ResourceRef(type: type, id: id, name: name, serverID: server), tags: tags,
                                            key: key, value: value, detail: detail, at: at))
        }
        func sample(_ series: String, _ metric: String, _ value: Double?) {
            if let value, value.isFinite { samples.append(.init(series: series, metric: metric, value: value)) }
        }

        observe("server", server, serverName, InfrastructureAlerts.serverDown, 0)
        sample("host", "cpu.percent", snapshot.cpuPercent)
        sample("host", "load.1", snapshot.load?.one)
        sample("host", "load.5", snapshot.load?.five)
        sample("host", "load.15", snapshot.load?.fifteen)
        if let memory = snapshot.memory, memory.totalBytes > 0 {
            sample("host", "memory.used_percent", Double(memory.totalBytes - min(memory.availableBytes, memory.totalBytes)) / Double(memory.totalBytes) * 100)
            if let total = memory.swapTotalBytes, total > 0, let used = memory.swapUsedBytes {
                sample("host", "swap.used_percent", Double(used) / Double(total) * 100)
            }
        }

        for fs in snapshot.filesystems where fs.sizeBytes > 0 {
            let used = Double(fs.usedBytes) / Double(fs.usedBytes + fs.availableBytes > 0 ? fs.usedBytes + fs.availableBytes : fs.sizeBytes) * 100
            let percent = (used * 10).rounded() / 10
            sample("fs:\(fs.mountPoint)", "filesystem.used_percent", percent)
            observe("filesystem", "\(server):\(fs.mountPoint)", "\(serverName) \(fs.mountPoint)", InfrastructureAlerts.filesystemUsed, percent)
        }

        for disk in snapshot.smart {
            let report = disk.report
            let id = "\(server):\(report.serialNumber ?? disk.device)"
            let name = "\(serverName) \(disk.device)\(report.modelName.map { " (\($0))" } ?? "")"
            let series = "disk:\(report.serialNumber ?? disk.device)"
            let temperature = report.temperatureCelsius ?? report.nvmeHealth?.temperatureCelsius
            sample(series, "disk.temperature_celsius", temperature.map(Double.init))
            if let temperature { observe("disk", id, name, InfrastructureAlerts.diskTemperature, Double(temperature)) }
            if let passed = report.smartPassed {
                observe("disk", id, name, InfrastructureAlerts.smartFailed, passed ? 0 : 1, passed ? nil : "\(name): SMART overall health FAILED")
            }
            let sectors = Self.badSectors(report)
            sample(series, "disk.bad_sectors", sectors.map(Double.init))
            if let sectors {
                let before = previous?.smart.first { $0.report.serialNumber == report.serialNumber && $0.device == disk.device }.flatMap { Self.badSectors($0.report) }
                let growth = max(0, sectors - (before ?? sectors))
                observe("disk", id, name, InfrastructureAlerts.sectorsGrowing, Double(growth),
                        growth > 0 ? "\(name): \(growth) more reallocated/pending sectors (now \(sectors))" : nil)
            }
            if let warning = report.nvmeHealth?.criticalWarning {
                observe("disk", id, name, InfrastructureAlerts.nvmeCriticalWarning, Double(warning.rawValue),
                        warning.rawValue > 0 ? "\(name): NVMe critical warning \(warning.setBitNames.joined(separator: ", "))" : nil)
            }
        }

        for pool in snapshot.zpools {
            let id = "\(server):\(pool.name)", name = "\(serverName) pool \(pool.name)"
            let state = pool.status?.state ?? pool.list?.health
            if let state {
                observe("zpool", id, name, InfrastructureAlerts.poolNotOnline, state.isHealthy ? 0 : 1,
                        state.isHealthy ? nil : "\(name) is \(state.rawValue)")
            }
            sample("zpool:\(pool.name)", "zpool.capacity_percent", pool.list?.capacityPercent.map(Double.init))
            sample("zpool:\(pool.name)", "zpool.fragmentation_percent", pool.list?.fragmentationPercent.map(Double.init))
            if let status = pool.status {
                let errors = status.allDevices.reduce(0) { $0 + $1.totalErrors }
                sample("zpool:\(pool.name)", "zpool.errors", Double(errors))
                observe("zpool", id, name, InfrastructureAlerts.checksumErrors, Double(errors))
                if let scan = status.scan, scan.operation == .scrub, scan.state == .finished,
                   let finished = scan.timestamp?.date(in: .current) {
                    observe("zpool", id, name, InfrastructureAlerts.scrubAge, (at.timeIntervalSince(finished) / 86_400).rounded(.down))
                } else if status.scan?.state == .noneRequested {
                    observe("zpool", id, name, InfrastructureAlerts.scrubAge, 9_999, "\(name) has never been scrubbed")
                }
            }
        }

        for array in snapshot.mdArrays {
            let id = "\(server):\(array.name)", name = "\(serverName) \(array.name)"
            let missing = max(0, (array.detail?.raidDevices ?? array.status?.raidDisks ?? 0) - (array.detail?.activeDevices ?? array.status?.activeDisks ?? 0))
            let failed = array.detail?.failedDevices ?? array.status?.faultyMembers.count ?? 0
            let inactive = array.status.map { !$0.isActive } ?? array.detail?.isInactive ?? false
            let degraded = Double(max(missing, failed, inactive ? 1 : 0))
            observe("md_array", id, name, InfrastructureAlerts.mdDegraded, degraded,
                    degraded > 0 ? "\(name) is \(inactive ? "inactive" : "degraded"): \(missing) missing, \(failed) failed" : nil)
            sample("md:\(array.name)", "md.degraded", degraded)
            sample("md:\(array.name)", "md.sync_percent", array.status?.progress?.percent ?? array.detail?.syncStatus?.percent)
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
