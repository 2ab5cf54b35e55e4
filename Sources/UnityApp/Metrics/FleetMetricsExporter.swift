import Fluent
import Foundation
import NIOConcurrencyHelpers
import UnityInfrastructure
import UnityParsers

/// Collected values in the Prometheus text format, rendered at scrape time from the latest
/// snapshot of each server (`unity_host_*`, `unity_disk_*`, `unity_zpool_*`, `unity_md_*`,
/// `unity_db_*`). Base units only (bytes, seconds, ratios), as promtool's lint asks.
struct FleetMetricsExporter {
    struct Server: Sendable {
        var id: UUID
        var name: String
        var online: Bool
        var lastSeen: Date?
        var snapshot: HostSnapshot?
    }

    private var families: [String: (help: String, samples: [String])] = [:]
    private var order: [String] = []

    /// Decoded snapshots by server, kept until the server's next collection: a scrape every 15 s
    /// then reads only ids and timestamps, and decodes a snapshot once per collection, not per scrape.
    static let decoded = SnapshotCache()

    static func load(on database: any Database) async throws -> [Server] {
        let servers = try await MonitoredServer.query(on: database).all()
        let stamps = try await ServerSnapshotRecord.query(on: database).field(\.$id).field(\.$collectedAt).all()
        let stale = stamps.filter { decoded.collectedAt($0.id) != $0.collectedAt }.compactMap(\.id)
        if !stale.isEmpty {
            for row in try await ServerSnapshotRecord.query(on: database).filter(\.$id ~~ stale).all() {
                if let id = row.id { decoded.store(id, collectedAt: row.collectedAt, snapshot: row.hostSnapshot) }
            }
        }
        decoded.keepOnly(Set(stamps.compactMap(\.id)))
        return servers.compactMap { server in
            guard let id = server.id else { return nil }
            return Server(id: id, name: server.name, online: server.statusValue == .online, lastSeen: server.lastSeenAt,
                          snapshot: decoded.snapshot(id))
        }
    }

    static func render(_ servers: [Server]) -> String {
        var exporter = FleetMetricsExporter()
        for server in servers { exporter.add(server) }
        return exporter.text
    }

    private mutating func gauge(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Double?) {
        guard let value, value.isFinite else { return }
        if families[name] == nil {
            families[name] = (help, [])
            order.append(name)
        }
        let rendered = labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",")
        families[name]?.samples.append("\(name){\(rendered)} \(Self.format(value))")
    }

    private mutating func add(_ server: Server) {
        let base = [("server", server.name), ("server_id", server.id.uuidString.lowercased())]
        gauge("unity_host_up", "1 when the last collection reached the server over SSH", base, server.online ? 1 : 0)
        gauge("unity_host_last_seen_timestamp_seconds", "When the server last answered (Unix time)", base, server.lastSeen?.timeIntervalSince1970)
        guard let snapshot = server.snapshot else { return }
        gauge("unity_host_cpu_usage_ratio", "Busy CPU share between the last two collections (0-1)", base, snapshot.cpuPercent.map { $0 / 100 })
        gauge("unity_host_cpus", "Logical CPUs", base, snapshot.cpuCount.map(Double.init))
        gauge("unity_host_load1", "1-minute load average", base, snapshot.load?.one)
        gauge("unity_host_load5", "5-minute load average", base, snapshot.load?.five)
        gauge("unity_host_load15", "15-minute load average", base, snapshot.load?.fifteen)
        gauge("unity_host_memory_total_bytes", "MemTotal", base, snapshot.memory.map { Double($0.totalBytes) })
        gauge("unity_host_memory_available_bytes", "MemAvailable", base, snapshot.memory.map { Double($0.availableBytes) })
        gauge("unity_host_swap_total_bytes", "SwapTotal", base, snapshot.memory?.swapTotalBytes.map(Double.init))
        gauge("unity_host_swap_free_bytes", "SwapFree", base, snapshot.memory?.swapFreeBytes.map(Double.init))
        gauge("unity_host_uptime_seconds", "Seconds since boot", base, snapshot.uptimeSeconds)
        for fs in snapshot.filesystems {
            let labels = base + [("mount", fs.mountPoint), ("device", fs.filesystem), ("fstype", fs.type ?? "")]
            gauge("unity_host_filesystem_size_bytes", "Filesystem size (df)", labels, Double(fs.sizeBytes))
            gauge("unity_host_filesystem_avail_bytes", "Space available to unprivileged users (df)", labels, Double(fs.availableBytes))
            gauge("unity_host_filesystem_used_bytes", "Space used (df)", labels, Double(fs.usedBytes))
        }
        for disk in snapshot.smart {
            // type: disks behind one RAID controller share the device node (megaraid,0 / megaraid,1).
            let labels = base + [("device", disk.device), ("type", disk.type ?? ""), ("serial", disk.report.serialNumber ?? ""), ("model", disk.report.modelName ?? "")]
            gauge("unity_disk_smart_passed", "1 when SMART's overall self-assessment passed", labels, disk.report.smartPassed.map { $0 ? 1 : 0 })
            gauge("unity_disk_health_level", "0 unknown, 1 healthy, 2 warning, 3 critical, 4 failed", labels, Double(Self.level(disk.assessment.level)))
            gauge("unity_disk_temperature_celsius", "Drive temperature", labels, (disk.report.temperatureCelsius ?? disk.report.nvmeHealth?.temperatureCelsius).map(Double.init))
            gauge("unity_disk_power_on_seconds", "Power-on time", labels, disk.report.powerOnHours.map { Double($0) * 3_600 })
            gauge("unity_disk_bad_sectors", "Reallocated + pending + offline-uncorrectable sectors (NVMe: media errors)", labels,
                  SnapshotMetrics.badSectors(disk.report).map(Double.init))
        }
        for pool in snapshot.zpools {
            let state = (pool.status?.state ?? pool.list?.health)?.rawValue ?? "UNKNOWN"
            let labels = base + [("pool", pool.name)]
            gauge("unity_zpool_healthy", "1 when the pool is ONLINE", labels + [("state", state)], state == "ONLINE" ? 1 : 0)
            gauge("unity_zpool_size_bytes", "Pool size", labels, pool.list.map { Double($0.sizeBytes) })
            gauge("unity_zpool_allocated_bytes", "Pool space allocated", labels, pool.list.map { Double($0.allocatedBytes) })
            gauge("unity_zpool_capacity_ratio", "Pool capacity used (0-1)", labels, pool.list?.capacityPercent.map { Double($0) / 100 })
            gauge("unity_zpool_fragmentation_ratio", "Free-space fragmentation (0-1)", labels, pool.list?.fragmentationPercent.map { Double($0) / 100 })
            gauge("unity_zpool_errors", "Read + write + checksum errors over all vdevs", labels, pool.status.map { Double($0.allDevices.reduce(0) { $0 + $1.totalErrors }) })
        }
        for array in snapshot.mdArrays {
            let labels = base + [("array", array.name), ("level", array.status?.level ?? array.detail?.raidLevel ?? "")]
            let degraded = (array.status?.isDegraded ?? false) || (array.detail?.isDegraded ?? false)
            gauge("unity_md_degraded", "1 when the array is degraded", labels, degraded ? 1 : 0)
            gauge("unity_md_failed_devices", "Failed member devices", labels, (array.detail?.failedDevices ?? array.status?.faultyMembers.count).map(Double.init))
            gauge("unity_md_sync_ratio", "Resync/recovery/check progress (0-1)", labels, (array.status?.progress?.percent ?? array.detail?.syncStatus?.percent).map { $0 / 100 })
        }
        for database in snapshot.databases {
            let labels = base + [("engine", database.engine.rawValue), ("port", database.ports.first.map(String.init) ?? "")]
            gauge("unity_db_discovered", "A database server found listening on the host", labels, 1)
        }
    }

    var text: String {
        order.map { name in
            guard let family = families[name] else { return "" }
            return "# HELP \(name) \(family.help)\n# TYPE \(name) gauge\n" + family.samples.joined(separator: "\n") + "\n"
        }.joined()
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func level(_ level: SmartHealthLevel) -> Int {
        switch level {
        case .unknown: 0
        case .healthy: 1
        case .warning: 2
        case .critical: 3
        case .failed: 4
        }
    }
}

/// The decoded latest snapshot per server and the collection it came from.
final class SnapshotCache: Sendable {
    private let entries = NIOLockedValueBox<[UUID: (collectedAt: Date, snapshot: HostSnapshot?)]>([:])

    func collectedAt(_ id: UUID?) -> Date? { id.flatMap { id in entries.withLockedValue { $0[id]?.collectedAt } } }
    func snapshot(_ id: UUID) -> HostSnapshot? { entries.withLockedValue { $0[id]?.snapshot } }
    func store(_ id: UUID, collectedAt: Date, snapshot: HostSnapshot?) { entries.withLockedValue { $0[id] = (collectedAt, snapshot) } }
    /// Forgets servers that no longer have a snapshot (deleted), so the cache cannot grow forever.
    func keepOnly(_ ids: Set<UUID>) { entries.withLockedValue { $0 = $0.filter { ids.contains($0.key) } } }
}
