/// One row of the device table at the end of `mdadm --detail`.
public struct MDDetailMember: Sendable, Equatable, Codable {
    /// Superblock slot; nil for "-" (a removed slot).
    public var number: Int?
    public var major: Int
    public var minor: Int
    /// Position in the array; nil for "-" (spares and faulty devices outside the layout).
    public var raidDevice: Int?
    /// State words as printed: "active sync", "spare rebuilding", "faulty failfast", "removed"…
    public var state: [String]
    /// Device path; nil for a removed slot.
    public var device: String?

    public init(number: Int?, major: Int, minor: Int, raidDevice: Int?, state: [String], device: String?) {
        self.number = number
        self.major = major
        self.minor = minor
        self.raidDevice = raidDevice
        self.state = state
        self.device = device
    }

    public var isActive: Bool { state.contains("active") }
    public var isFaulty: Bool { state.contains("faulty") }
    public var isSpare: Bool { state.contains("spare") }
    public var isRebuilding: Bool { state.contains("rebuilding") }
    public var isRemoved: Bool { state.contains("removed") }
    public var isWriteMostly: Bool { state.contains("writemostly") }
}

/// "Rebuild Status : 24% complete" and its siblings.
public struct MDDetailSyncStatus: Sendable, Equatable, Codable {
    /// Rebuild is reported as `.recovery`, matching /proc/mdstat's name for it.
    public var action: MDSyncAction
    public var percent: Double

    public init(action: MDSyncAction, percent: Double) {
        self.action = action
        self.percent = percent
    }
}

/// What `mdadm --detail /dev/mdX` says about one array.
public struct MDArrayDetail: Sendable, Equatable, Codable {
    /// "/dev/md127", from the first line.
    public var device: String?
    /// Superblock version: "1.2", "0.90"; nil for arrays inside a DDF/IMSM container.
    public var metadataVersion: String?
    /// For a volume inside an external-metadata container: the container device and member index.
    public var container: String?
    public var containerMember: Int?
    public var raidLevel: String?
    /// mdadm prints these in KiB; converted to bytes.
    public var arraySizeBytes: UInt64?
    public var usedDeviceSizeBytes: UInt64?
    public var raidDevices: Int?
    public var totalDevices: Int?
    /// State exactly as printed, trimmed: "clean, degraded, recovering".
    public var state: String?
    /// The comma-separated state words, lowercased: ["clean", "degraded", "recovering"].
    public var stateFlags: [String]
    public var activeDevices: Int?
    public var workingDevices: Int?
    public var failedDevices: Int?
    public var spareDevices: Int?
    public var syncStatus: MDDetailSyncStatus?
    /// Without the "(local to host …)" note 0.90 arrays append.
    public var uuid: String?
    /// Without the "(local to host …)" note.
    public var name: String?
    public var events: String?
    public var layout: String?
    /// As printed ("512K", "64k"); `chunkKiB` reads it in any unit and case.
    public var chunkSize: String?
    public var consistencyPolicy: String?
    public var members: [MDDetailMember]
    /// Every "Key : value" line as printed (trimmed), including ones not modelled above.
    public var fields: [String: String]
    public var warnings: [String]

    public init(
        device: String? = nil, metadataVersion: String? = nil, container: String? = nil, containerMember: Int? = nil,
        raidLevel: String? = nil, arraySizeBytes: UInt64? = nil, usedDeviceSizeBytes: UInt64? = nil,
        raidDevices: Int? = nil, totalDevices: Int? = nil, state: String? = nil, stateFlags: [String] = [],
        activeDevices: Int? = nil, workingDevices: Int? = nil, failedDevices: Int? = nil, spareDevices: Int? = nil,
        syncStatus: MDDetailSyncStatus? = nil, uuid: String? = nil, name: String? = nil, events: String? = nil,
        layout: String? = nil, chunkSize: String? = nil, consistencyPolicy: String? = nil,
        members: [MDDetailMember] = [], fields: [String: String] = [:], warnings: [String] = []
    ) {
        self.device = device
        self.metadataVersion = metadataVersion
        self.container = container
        self.containerMember = containerMember
        self.raidLevel = raidLevel
        self.arraySizeBytes = arraySizeBytes
        self.usedDeviceSizeBytes = usedDeviceSizeBytes
        self.raidDevices = raidDevices
        self.totalDevices = totalDevices
        self.state = state
        self.stateFlags = stateFlags
        self.activeDevices = activeDevices
        self.workingDevices = workingDevices
        self.failedDevices = failedDevices
        self.spareDevices = spareDevices
        self.syncStatus = syncStatus
        self.uuid = uuid
        self.name = name
        self.events = events
        self.layout = layout
        self.chunkSize = chunkSize
        self.consistencyPolicy = consistencyPolicy
        self.members = members
        self.fields = fields
        self.warnings = warnings
    }

    public var isDegraded: Bool { stateFlags.contains("degraded") }
    /// "FAILED": more members lost than the level tolerates.
    public var isFailed: Bool { stateFlags.contains("failed") }
    public var isRecovering: Bool { stateFlags.contains("recovering") }
    public var isResyncing: Bool { stateFlags.contains("resyncing") }
    public var isInactive: Bool { stateFlags.contains("inactive") }
}

extension MDArrayDetail {
    public var chunkKiB: UInt64? { chunkSize.flatMap { MDChunkSize.kib(Substring($0)) } }
}

/// md chunk sizes as the kernel and mdadm print them: "64k", "512K", "1M", "65536KB", bare KiB.
enum MDChunkSize {
    static func kib(_ token: Substring) -> UInt64? {
        var text = token.lowercased()
        if text.hasSuffix("ib") { text.removeLast(2) } else if text.hasSuffix("b") { text.removeLast() }
        let scale: UInt64
        switch text.last {
        case "k": scale = 1; text.removeLast()
        case "m": scale = 1024; text.removeLast()
        case "g": scale = 1024 * 1024; text.removeLast()
        default: scale = 1
        }
        guard !text.isEmpty, text.allSatisfy(\.isASCII), let value = UInt64(text) else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }
}
