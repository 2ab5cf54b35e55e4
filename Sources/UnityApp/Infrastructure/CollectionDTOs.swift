import Foundation
import UnityInfrastructure
import UnityParsers
import Vapor

struct CollectionErrorDTO: Content {
    var section: String
    var command: String
    var exitStatus: Int?
    var message: String
    /// not_installed, permission_denied, timed_out, unreadable_output, incomplete or failed.
    var kind: String

    init(_ error: CollectionError) {
        section = error.section; command = error.command; exitStatus = error.exitStatus; message = error.message
        kind = error.kind.rawValue
    }
}

struct CollectionResultDTO: Content, APIExample {
    var serverId: UUID
    var status: MonitoredServer.Status
    var durationMs: Int
    /// Sections that failed this cycle; the others were still collected.
    var sectionErrors: [CollectionErrorDTO]
    var error: String?

    init(_ outcome: ServerCollector.Outcome) {
        serverId = outcome.serverID; status = outcome.status; durationMs = outcome.durationMS
        sectionErrors = outcome.sectionErrors.map(CollectionErrorDTO.init); error = outcome.error
    }

    static var example: CollectionResultDTO {
        .init(ServerCollector.Outcome(serverID: UUID(), status: .online, durationMS: 412,
                                      sectionErrors: [CollectionError(section: "smartctl:/dev/sda", command: "smartctl --json -x /dev/sda", exitStatus: 2, message: "permission denied", kind: .permissionDenied)],
                                      error: "connection refused"))
    }
}

struct CollectAllDTO: Content, APIExample {
    var results: [CollectionResultDTO]
    static var example: CollectAllDTO { .init(results: [.example]) }
}

struct SnapshotDTO: Content, APIExample {
    var serverId: UUID
    var collectedAt: Date
    var durationMs: Int
    var errors: [CollectionErrorDTO]
    var snapshot: HostSnapshot

    static var example: SnapshotDTO {
        let memory = MemoryInfo(totalBytes: 16 << 30, freeBytes: 2 << 30, availableBytes: 9 << 30, availableIsEstimated: false,
                                buffersBytes: 1 << 28, cachedBytes: 6 << 30, swapTotalBytes: 2 << 30, swapFreeBytes: 2 << 30)
        let snapshot = HostSnapshot(hostname: "nas", operatingSystem: OperatingSystem(id: "debian", name: "Debian GNU/Linux", versionID: "12",
                                                                                       prettyName: "Debian GNU/Linux 12 (bookworm)", kernelName: "Linux",
                                                                                       kernelRelease: "6.1.0-18-amd64", architecture: "x86_64"),
                                    cpuCount: 4, cpuPercent: 12.5, load: LoadAverage(one: 0.5, five: 0.4, fifteen: 0.3, runnableTasks: 1, totalTasks: 200, lastPID: 4242),
                                    memory: memory, uptimeSeconds: 86_400, bootTime: Date(),
                                    filesystems: [DiskFreeEntry(filesystem: "/dev/sda1", type: "ext4", sizeBytes: 100 << 30, usedBytes: 40 << 30,
                                                                availableBytes: 55 << 30, capacityPercent: 43, mountPoint: "/")],
                                    unavailable: ["zfs": "zpool not installed"])
        return .init(serverId: UUID(), collectedAt: Date(), durationMs: 380,
                     errors: [CollectionErrorDTO(CollectionError(section: "mdadm:/dev/md0", command: "mdadm --detail /dev/md0", exitStatus: 1, message: "sudo: a password is required"))],
                     snapshot: snapshot)
    }
}

struct MetricPointsDTO: Content, APIExample {
    var series: String
    var metric: String
    var step: Int
    var from: Date
    var to: Date
    var points: [MetricStore.Point]

    static var example: MetricPointsDTO {
        .init(series: "host", metric: "cpu.percent", step: 300, from: Date(), to: Date(), points: [.init(t: Date(), avg: 12.5, min: 3, max: 40)])
    }
}

struct SeriesDTO: Content, APIExample {
    var series: String
    var metric: String
    static var example: SeriesDTO { .init(series: "fs:/", metric: "filesystem.used_percent") }
}
