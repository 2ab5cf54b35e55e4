import Foundation
import UnityContainers
import UnityParsers
import Vapor

/// One line of a container's output.
struct ContainerLogLineDTO: Content, APIExample {
    /// stdout or stderr.
    var stream: String
    var text: String
    /// When the engine received the line: RFC 3339 with microseconds (usable as `since`); null with `timestamps=false`.
    var time: String?
    /// True for every part but the last of a line longer than 16 KiB.
    var continues: Bool

    init(_ line: ContainerLogLine, withTime: Bool) {
        stream = line.stream.rawValue
        text = line.text
        time = withTime ? line.timestamp.map(Self.format) : nil
        continues = line.continues
    }

    private init() { stream = "stdout"; text = "listening on :8080"; time = "2026-12-07T10:11:14.136849Z"; continues = false }
    static var example: ContainerLogLineDTO { .init() }
    static var allowedValues: [String: [String]] { ["stream": ["stdout", "stderr"]] }

    /// RFC 3339 UTC with microseconds, rounded down so that `since=<time>` includes the line itself.
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        let seconds = Date(timeIntervalSince1970: TimeInterval(micros.quotient(1_000_000)))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let text = formatter.string(from: seconds)
        return String(text.dropLast()) + "." + String(format: "%06d", Int(micros.remainder(1_000_000))) + "Z"
    }
}

private extension Int64 {
    /// Floor division and its non-negative remainder (times before 1970 stay correct).
    func quotient(_ divisor: Int64) -> Int64 { self >= 0 ? self / divisor : -((-self + divisor - 1) / divisor) }
    func remainder(_ divisor: Int64) -> Int64 { self - quotient(divisor) * divisor }
}

/// One stats sample, computed as `docker stats` does.
struct ContainerStatsDTO: Content, APIExample {
    var read: Date?
    /// Null for a quick (one-shot) Docker sample: CPU % needs two samples.
    var cpuPercent: Double?
    var onlineCpus: Int?
    /// Without reclaimable page cache, as `docker stats` shows it.
    var memoryUsedBytes: UInt64?
    var memoryLimitBytes: UInt64?
    var memoryPercent: Double?
    var networkRxBytes: UInt64?
    var networkTxBytes: UInt64?
    var blockReadBytes: UInt64
    var blockWriteBytes: UInt64
    var pids: UInt64?

    init(_ sample: ContainerStatsSample) {
        read = sample.read; cpuPercent = sample.cpuPercent; onlineCpus = sample.onlineCPUs
        memoryUsedBytes = sample.memoryUsedBytes; memoryLimitBytes = sample.memoryLimitBytes; memoryPercent = sample.memoryPercent
        networkRxBytes = sample.networkReceivedBytes; networkTxBytes = sample.networkTransmittedBytes
        blockReadBytes = sample.blockReadBytes; blockWriteBytes = sample.blockWrittenBytes; pids = sample.pids
    }

    private init() {
        read = Date(); cpuPercent = 1.5; onlineCpus = 4; memoryUsedBytes = 12_582_912; memoryLimitBytes = 8_589_934_592; memoryPercent = 0.15
        networkRxBytes = 1024; networkTxBytes = 2048; blockReadBytes = 4096; blockWriteBytes = 0; pids = 3
    }
    static var example: ContainerStatsDTO { .init() }
}

/// `ps` of the container's processes: column titles, one row per process.
struct ContainerProcessListDTO: Content, APIExample {
    var titles: [String]
    var processes: [[String]]
    static var example: ContainerProcessListDTO {
        .init(titles: ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], processes: [["root", "4242", "4221", "0", "10:11", "?", "00:00:00", "sleep 600"]])
    }
}

/// The engine's inspect document (documentation only: the handler writes the document's own bytes,
/// so its CamelCase keys reach the caller unchanged).
struct ContainerInspectDTO: Content, APIExample {
    var containerId: UUID
    var engineId: String
    /// True only for an admin's `reveal_env=true` (audited); otherwise every `Config.Env` value is `***`.
    var envRevealed: Bool
    /// `GET /containers/{id}/json` of the engine, keys as the engine names them.
    var inspect: JSONValue
    static var example: ContainerInspectDTO {
        .init(containerId: UUID(), engineId: String(repeating: "ab", count: 32), envRevealed: false,
              inspect: .object(["Id": .string(String(repeating: "ab", count: 32)), "Config": .object(["Env": .array([.string("TZ=***")])])]))
    }
}

struct ContainerImageDTO: Content, APIExample {
    var id: UUID
    var hostId: UUID
    var imageId: String
    var tags: [String]
    var repoDigests: [String]
    var size: Int64?
    var created: Date?
    var firstSeenAt: Date
    var updatedAt: Date

    init(_ row: ContainerImageRecord) throws {
        id = try row.requireID(); hostId = row.hostID; imageId = row.imageID; tags = row.tags; repoDigests = row.repoDigests
        size = row.size; created = row.created; firstSeenAt = row.firstSeenAt; updatedAt = row.updatedAt
    }

    private init() {
        id = UUID(); hostId = UUID(); imageId = "sha256:" + String(repeating: "cd", count: 32); tags = ["nginx:1.25"]
        repoDigests = ["nginx@sha256:" + String(repeating: "ef", count: 32)]; size = 187_000_000; created = Date(); firstSeenAt = Date(); updatedAt = Date()
    }
    static var example: ContainerImageDTO { .init() }
}

struct ContainerVolumeDTO: Content, APIExample {
    var name: String
    var driver: String?
    var mountpoint: String?
    var scope: String?
    var labels: [String: String]
    var created: Date?
    /// Made by the engine (`-v /path`, an image's VOLUME), not named by a person.
    var anonymous: Bool

    init(_ volume: VolumeSummary) {
        name = volume.name; driver = volume.driver; mountpoint = volume.mountpoint; scope = volume.scope
        labels = volume.labels; created = volume.created; anonymous = volume.anonymous
    }

    private init() {
        name = "data"; driver = "local"; mountpoint = "/var/lib/docker/volumes/data/_data"; scope = "local"
        labels = ["com.docker.compose.project": "web"]; created = Date(); anonymous = false
    }
    static var example: ContainerVolumeDTO { .init() }
}

struct ContainerNetworkDTO: Content, APIExample {
    var id: String
    var name: String
    var driver: String?
    var scope: String?
    var `internal`: Bool
    var attachable: Bool
    var ipv6: Bool
    var subnets: [String]
    var gateways: [String]
    var labels: [String: String]
    var created: Date?

    init(_ network: NetworkSummary) {
        id = network.id; name = network.name; driver = network.driver; scope = network.scope; self.internal = network.isInternal
        attachable = network.attachable; ipv6 = network.ipv6; subnets = network.subnets; gateways = network.gateways
        labels = network.labels; created = network.created
    }

    private init() {
        id = String(repeating: "12", count: 32); name = "bridge"; driver = "bridge"; scope = "local"; self.internal = false
        attachable = false; ipv6 = false; subnets = ["172.17.0.0/16"]; gateways = ["172.17.0.1"]; labels = [:]; created = Date()
    }
    static var example: ContainerNetworkDTO { .init() }
}
