/// The `device` block of smartctl's JSON (also one entry of `smartctl --scan-open --json`).
public struct SmartDevice: Sendable, Equatable, Codable {
    /// Path smartctl was given, e.g. "/dev/sda" or "/dev/nvme0".
    public var name: String
    /// Name with the detected bridge, e.g. "/dev/sdc [USB JMicron]".
    public var infoName: String?
    /// smartctl device type ("sat", "nvme", "scsi", "usbjmicron", …) — pass back with `-d`.
    public var type: String?
    /// Protocol as printed: "ATA", "NVMe" or "SCSI".
    public var `protocol`: String?

    public init(name: String, infoName: String? = nil, type: String? = nil, protocol: String? = nil) {
        self.name = name
        self.infoName = infoName
        self.type = type
        self.protocol = `protocol`
    }

    public var protocolKind: SmartProtocol {
        switch `protocol`?.lowercased() {
        case "ata": .ata
        case "nvme": .nvme
        case "scsi": .scsi
        default: .unknown
        }
    }
}

public enum SmartProtocol: String, Sendable, Equatable, Codable {
    case ata, nvme, scsi, unknown
}

/// The kind of medium, which decides the temperature limits and which counters matter.
public enum SmartMediaType: String, Sendable, Equatable, Codable {
    case hdd, ssd, nvme, unknown
}
