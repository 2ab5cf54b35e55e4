import Foundation

/// One sample of `GET /containers/{id}/stats`, reduced to what `docker stats` shows. Computed the
/// way the docker CLI does (cli/command/container/stats_helpers.go), so Unity's numbers match what
/// a homelab user sees in their terminal:
/// - CPU % = (cpu delta / system delta) × online CPUs × 100, between this sample and the engine's
///   previous one (`precpu_stats`); nil when the engine sent no previous sample (one-shot on Docker).
///   Podman's compat API often sends no usable previous sample but its own `cpu_stats.cpu` percentage,
///   which is used then.
/// - memory used = usage minus `total_inactive_file` (cgroup v1) or `inactive_file` (cgroup v2),
///   i.e. without reclaimable page cache; Podman reports usage already without it.
/// - network = sum over interfaces, block I/O = sum of the Read/Write entries of
///   `io_service_bytes_recursive` (cgroup v1 "Read", cgroup v2 "read").
public struct ContainerStatsSample: Sendable, Equatable {
    public var read: Date?
    public var cpuPercent: Double?
    public var onlineCPUs: Int?
    public var memoryUsedBytes: UInt64?
    public var memoryLimitBytes: UInt64?
    public var networkReceivedBytes: UInt64?
    public var networkTransmittedBytes: UInt64?
    public var blockReadBytes: UInt64
    public var blockWrittenBytes: UInt64
    public var pids: UInt64?
    /// The raw counters behind CPU %: the container's CPU time and the host's (nanoseconds), so a
    /// caller can compute CPU % between two one-shot samples taken apart (`cpuPercent(since:)`).
    public var cpuTotalUsageNanoseconds: UInt64?
    public var systemCPUUsageNanoseconds: UInt64?

    /// Memory used as a share of the limit (0…100), as `docker stats` shows it.
    public var memoryPercent: Double? {
        guard let used = memoryUsedBytes, let limit = memoryLimitBytes, limit > 0 else { return nil }
        return Double(used) / Double(limit) * 100
    }

    public static func decode(_ data: Data) throws(ParseError) -> ContainerStatsSample {
        let wire: StatsWire
        do {
            wire = try JSONDecoder().decode(StatsWire.self, from: data)
        } catch {
            throw ParseError(source: "GET /containers/{id}/stats", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
        return ContainerStatsSample(wire)
    }

    init(_ wire: StatsWire) {
        read = EngineTimestamp.parse(wire.read)
        let online = wire.cpu_stats?.online_cpus.flatMap { $0 > 0 ? Int($0) : nil }
            ?? wire.cpu_stats?.cpu_usage?.percpu_usage.flatMap { $0.isEmpty ? nil : $0.count }
        onlineCPUs = online
        cpuPercent = Self.cpuPercent(wire, onlineCPUs: online)
        cpuTotalUsageNanoseconds = wire.cpu_stats?.cpu_usage?.total_usage
        systemCPUUsageNanoseconds = wire.cpu_stats?.system_cpu_usage.flatMap { $0 > 0 ? $0 : nil }
        memoryUsedBytes = wire.memory_stats.flatMap(Self.memoryUsed)
        memoryLimitBytes = wire.memory_stats?.limit
        if let networks = wire.networks {
            networkReceivedBytes = networks.values.reduce(0) { $0 &+ ($1.rx_bytes ?? 0) }
            networkTransmittedBytes = networks.values.reduce(0) { $0 &+ ($1.tx_bytes ?? 0) }
        }
        var readBytes: UInt64 = 0, writtenBytes: UInt64 = 0
        for entry in wire.blkio_stats?.io_service_bytes_recursive ?? [] {
            switch entry.op?.lowercased() {
            case "read": readBytes &+= entry.value ?? 0
            case "write": writtenBytes &+= entry.value ?? 0
            default: break
            }
        }
        blockReadBytes = readBytes
        blockWrittenBytes = writtenBytes
        pids = wire.pids_stats?.current
    }

    /// CPU % between an earlier sample of the same container and this one, computed as `docker stats`
    /// does; nil without both counters, or when the counters went backwards (the container restarted).
    public func cpuPercent(since earlier: ContainerStatsSample) -> Double? {
        guard let total = cpuTotalUsageNanoseconds, let system = systemCPUUsageNanoseconds,
              let earlierTotal = earlier.cpuTotalUsageNanoseconds, let earlierSystem = earlier.systemCPUUsageNanoseconds,
              total >= earlierTotal, system > earlierSystem else { return nil }
        return Double(total - earlierTotal) / Double(system - earlierSystem) * Double(onlineCPUs ?? 1) * 100
    }

    private static func cpuPercent(_ wire: StatsWire, onlineCPUs: Int?) -> Double? {
        guard let current = wire.cpu_stats else { return nil }
        if let previous = wire.precpu_stats, let previousSystem = previous.system_cpu_usage, previousSystem > 0,
           let system = current.system_cpu_usage, let total = current.cpu_usage?.total_usage {
            let cpuDelta = Double(total) - Double(previous.cpu_usage?.total_usage ?? 0)
            let systemDelta = Double(system) - Double(previousSystem)
            guard cpuDelta > 0, systemDelta > 0 else { return 0 }
            return cpuDelta / systemDelta * Double(onlineCPUs ?? 1) * 100
        }
        return current.cpu  // Podman's own percentage; nil on Docker's one-shot answer
    }

    private static func memoryUsed(_ memory: StatsWire.Memory) -> UInt64? {
        guard let usage = memory.usage else { return nil }
        if let inactive = memory.stats?["total_inactive_file"], inactive < usage { return usage - inactive }
        if let inactive = memory.stats?["inactive_file"], inactive < usage { return usage - inactive }
        return usage
    }
}

struct StatsWire: Decodable {
    var read: String?
    var pids_stats: Pids?
    var blkio_stats: Block?
    var cpu_stats: CPU?
    var precpu_stats: CPU?
    var memory_stats: Memory?
    var networks: [String: Network]?

    struct Pids: Decodable { var current: UInt64? }
    struct Block: Decodable {
        var io_service_bytes_recursive: [Entry]?
        struct Entry: Decodable { var op: String?; var value: UInt64? }
    }
    struct CPU: Decodable {
        var cpu_usage: Usage?
        var system_cpu_usage: UInt64?
        var online_cpus: UInt64?
        /// Podman only: its own CPU percentage.
        var cpu: Double?
        struct Usage: Decodable { var total_usage: UInt64?; var percpu_usage: [UInt64]? }
    }
    struct Memory: Decodable {
        var usage: UInt64?
        var limit: UInt64?
        var stats: [String: UInt64]?
    }
    struct Network: Decodable { var rx_bytes: UInt64?; var tx_bytes: UInt64? }
}
