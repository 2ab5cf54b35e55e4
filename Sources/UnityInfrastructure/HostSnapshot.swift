import Foundation
import UnityParsers

/// Operating system and kernel as `/etc/os-release` and `uname -srm` describe them.
public struct OperatingSystem: Sendable, Equatable, Codable {
    /// `ID`, e.g. "debian".
    public var id: String?
    public var name: String?
    public var versionID: String?
    public var prettyName: String?
    /// `uname -s`, e.g. "Linux".
    public var kernelName: String?
    /// `uname -r`, e.g. "6.1.0-18-amd64".
    public var kernelRelease: String?
    /// `uname -m`, e.g. "x86_64".
    public var architecture: String?

    public init(
        id: String? = nil, name: String? = nil, versionID: String? = nil, prettyName: String? = nil,
        kernelName: String? = nil, kernelRelease: String? = nil, architecture: String? = nil
    ) {
        self.id = id
        self.name = name
        self.versionID = versionID
        self.prettyName = prettyName
        self.kernelName = kernelName
        self.kernelRelease = kernelRelease
        self.architecture = architecture
    }
}

/// One disk's SMART answer and its health verdict.
public struct SmartDiskStatus: Sendable, Equatable, Codable {
    /// Device as scanned, e.g. "/dev/sda" or "/dev/bus/0".
    public var device: String
    /// smartctl `-d` type as scanned ("sat", "megaraid,1", "cciss,0", …); nil when the scan gave none.
    /// Disks behind one RAID/HBA controller share `device` and differ only here.
    public var type: String?
    public var report: SmartReport
    public var assessment: SmartAssessment

    public init(device: String, type: String? = nil, report: SmartReport, assessment: SmartAssessment) {
        self.device = device
        self.type = type
        self.report = report
        self.assessment = assessment
    }

    /// Where the disk sits now: device and type, e.g. "/dev/bus/0 megaraid,1".
    public var slot: String { type.map { "\(device) \($0)" } ?? device }

    /// Set by assembly only when two disks of one snapshot would share an identity (redacted or
    /// bogus serials behind one controller): their WWN, else their slot, tells them apart.
    public var identityQualifier: String?

    /// What history and alerts follow: the serial number (a disk that moves to another port or
    /// slot stays the same disk), else the WWN, else the slot.
    public var identity: String {
        let base: String
        if let serial = report.serialNumber, !serial.isEmpty { base = serial }
        else if let wwn = report.wwn { base = "wwn:\(wwn)" }
        else { base = slot }
        return identityQualifier.map { "\(base)@\($0)" } ?? base
    }
}

/// A ZFS pool: `zpool list -Hp` and `zpool status` merged by pool name (either may be absent
/// when only one of the commands answered).
public struct ZpoolSnapshot: Sendable, Equatable, Codable {
    public var name: String
    public var list: ZpoolListEntry?
    public var status: ZpoolStatus?

    public init(name: String, list: ZpoolListEntry? = nil, status: ZpoolStatus? = nil) {
        self.name = name
        self.list = list
        self.status = status
    }
}

/// An md array: `/proc/mdstat` and `mdadm --detail` merged by array name ("md0").
public struct MDArraySnapshot: Sendable, Equatable, Codable {
    public var name: String
    public var status: MDArrayStatus?
    public var detail: MDArrayDetail?

    public init(name: String, status: MDArrayStatus? = nil, detail: MDArrayDetail? = nil) {
        self.name = name
        self.status = status
        self.detail = detail
    }
}

/// Everything one collection cycle learned about a host. Fields stay `nil`/empty when their
/// section failed; the matching `CollectionError` says why.
public struct HostSnapshot: Sendable, Equatable, Codable {
    public var hostname: String?
    public var operatingSystem: OperatingSystem?
    /// Aggregate CPU counters, kept so the next cycle can compute `cpuPercent`.
    public var cpuTimes: CPUTimes?
    public var cpuCount: Int?
    /// Busy percentage since the previous cycle; `nil` on the first cycle or after a reboot.
    public var cpuPercent: Double?
    public var load: LoadAverage?
    public var memory: MemoryInfo?
    public var uptimeSeconds: Double?
    /// From `btime` in /proc/stat.
    public var bootTime: Date?
    /// Real filesystems only: pseudo ones (tmpfs, proc, overlay, snaps…) are left out.
    public var filesystems: [DiskFreeEntry]
    /// lsblk's device tree; each device carries its media class (hdd/ssd/nvme/virtual/other).
    public var blockDevices: [BlockDevice]
    public var smart: [SmartDiskStatus]
    public var zpools: [ZpoolSnapshot]
    public var mdArrays: [MDArraySnapshot]
    public var databases: [DatabaseInstance]
    /// Sections the host cannot provide (tool or kernel feature absent), with the reason.
    public var unavailable: [String: String]

    public init(
        hostname: String? = nil, operatingSystem: OperatingSystem? = nil, cpuTimes: CPUTimes? = nil,
        cpuCount: Int? = nil, cpuPercent: Double? = nil, load: LoadAverage? = nil, memory: MemoryInfo? = nil,
        uptimeSeconds: Double? = nil, bootTime: Date? = nil, filesystems: [DiskFreeEntry] = [],
        blockDevices: [BlockDevice] = [], smart: [SmartDiskStatus] = [], zpools: [ZpoolSnapshot] = [],
        mdArrays: [MDArraySnapshot] = [], databases: [DatabaseInstance] = [], unavailable: [String: String] = [:]
    ) {
        self.hostname = hostname
        self.operatingSystem = operatingSystem
        self.cpuTimes = cpuTimes
        self.cpuCount = cpuCount
        self.cpuPercent = cpuPercent
        self.load = load
        self.memory = memory
        self.uptimeSeconds = uptimeSeconds
        self.bootTime = bootTime
        self.filesystems = filesystems
        self.blockDevices = blockDevices
        self.smart = smart
        self.zpools = zpools
        self.mdArrays = mdArrays
        self.databases = databases
        self.unavailable = unavailable
    }
}
