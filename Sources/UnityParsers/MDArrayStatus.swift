/// One member device of an md array as /proc/mdstat lists it: "sdb1[2](F)".
public struct MDMember: Sendable, Equatable, Codable {
    public var device: String
    /// The number in brackets: the member's slot in the superblock (not its position in the
    /// array's layout once spares have been swapped in).
    public var roleIndex: Int
    /// (F): failed, still attached.
    public var isFaulty: Bool
    /// (S): hot spare (or, on an inactive array, a member not yet assembled).
    public var isSpare: Bool
    /// (W): write-mostly (reads avoid it, e.g. the slow half of a mixed mirror).
    public var isWriteMostly: Bool
    /// (R): replacement being copied onto before the old member is removed.
    public var isReplacement: Bool

    public init(device: String, roleIndex: Int, isFaulty: Bool = false, isSpare: Bool = false,
                isWriteMostly: Bool = false, isReplacement: Bool = false) {
        self.device = device
        self.roleIndex = roleIndex
        self.isFaulty = isFaulty
        self.isSpare = isSpare
        self.isWriteMostly = isWriteMostly
        self.isReplacement = isReplacement
    }
}

public enum MDSyncAction: String, Sendable, Equatable, Codable, CaseIterable {
    case resync, recovery, reshape, check, repair
}

/// A resync/recovery/reshape/check line, running or queued.
public struct MDSyncProgress: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Equatable, Codable {
        case running
        /// "resync=DELAYED": waiting for another array on the same disks.
        case delayed
        /// "resync=PENDING": waiting because the array is read-only (auto-read-only).
        case pending
    }

    public var action: MDSyncAction
    public var state: State
    public var percent: Double?
    /// Progress in 1 KiB blocks, "(done/total)".
    public var doneBlocks: UInt64?
    public var totalBlocks: UInt64?
    /// Kernel's estimate of minutes left.
    public var finishMinutes: Double?
    public var speedKiBPerSecond: UInt64?

    public init(action: MDSyncAction, state: State, percent: Double? = nil, doneBlocks: UInt64? = nil,
                totalBlocks: UInt64? = nil, finishMinutes: Double? = nil, speedKiBPerSecond: UInt64? = nil) {
        self.action = action
        self.state = state
        self.percent = percent
        self.doneBlocks = doneBlocks
        self.totalBlocks = totalBlocks
        self.finishMinutes = finishMinutes
        self.speedKiBPerSecond = speedKiBPerSecond
    }
}

/// "bitmap: 4/15 pages [16KB], 65536KB chunk[, file: /path]".
public struct MDBitmap: Sendable, Equatable, Codable {
    public var pagesUsed: Int
    public var pagesTotal: Int
    public var memoryKiB: UInt64?
    public var chunkKiB: UInt64?
    /// External bitmap file, when the bitmap is not internal.
    public var file: String?

    public init(pagesUsed: Int, pagesTotal: Int, memoryKiB: UInt64? = nil, chunkKiB: UInt64? = nil, file: String? = nil) {
        self.pagesUsed = pagesUsed
        self.pagesTotal = pagesTotal
        self.memoryKiB = memoryKiB
        self.chunkKiB = chunkKiB
        self.file = file
    }
}

public enum MDReadOnlyMode: String, Sendable, Equatable, Codable {
    /// "(read-only)": set read-only by an administrator.
    case readOnly = "read-only"
    /// "(auto-read-only)": assembled but not yet written to; a resync will start on first write.
    case autoReadOnly = "auto-read-only"
}

/// One array from /proc/mdstat.
public struct MDArrayStatus: Sendable, Equatable, Codable {
    public var name: String
    /// "active" or "inactive" (assembled but not started).
    public var isActive: Bool
    public var readOnly: MDReadOnlyMode?
    /// "raid1", "raid5", "linear"…; nil for inactive arrays whose level is not known yet.
    public var level: String?
    public var members: [MDMember]
    /// Usable size in 1 KiB blocks.
    public var blocks: UInt64?
    /// Superblock format: "1.2", "external:imsm"…; nil for the 0.90 default that is not printed.
    public var superblock: String?
    public var chunkKiB: UInt64?
    /// "[n/m]": devices the array should have, and how many are working.
    public var raidDisks: Int?
    public var activeDisks: Int?
    /// "[UU_]": one character per slot, U = up, _ = missing or failed.
    public var slotStatus: String?
    /// Fewer working devices than slots (by the counts or a "_" in the slot status).
    public var isDegraded: Bool
    public var progress: MDSyncProgress?
    public var bitmap: MDBitmap?

    public init(
        name: String, isActive: Bool, readOnly: MDReadOnlyMode? = nil, level: String? = nil,
        members: [MDMember] = [], blocks: UInt64? = nil, superblock: String? = nil, chunkKiB: UInt64? = nil,
        raidDisks: Int? = nil, activeDisks: Int? = nil, slotStatus: String? = nil, isDegraded: Bool = false,
        progress: MDSyncProgress? = nil, bitmap: MDBitmap? = nil
    ) {
        self.name = name
        self.isActive = isActive
        self.readOnly = readOnly
        self.level = level
        self.members = members
        self.blocks = blocks
        self.superblock = superblock
        self.chunkKiB = chunkKiB
        self.raidDisks = raidDisks
        self.activeDisks = activeDisks
        self.slotStatus = slotStatus
        self.isDegraded = isDegraded
        self.progress = progress
        self.bitmap = bitmap
    }

    public var faultyMembers: [MDMember] { members.filter(\.isFaulty) }
    public var spareMembers: [MDMember] { members.filter(\.isSpare) }
}

/// Everything /proc/mdstat says.
public struct MDStatReport: Sendable, Equatable, Codable {
    /// RAID levels the kernel has loaded, e.g. ["raid1", "raid6"].
    public var personalities: [String]
    public var arrays: [MDArrayStatus]
    /// Devices with an md superblock that belong to no array ("unused devices:").
    public var unusedDevices: [String]
    /// Lines that were not understood, with their line numbers, so new kernel output is noticed
    /// without making the whole file unreadable.
    public var warnings: [String]

    public init(personalities: [String], arrays: [MDArrayStatus], unusedDevices: [String], warnings: [String]) {
        self.personalities = personalities
        self.arrays = arrays
        self.unusedDevices = unusedDevices
        self.warnings = warnings
    }
}
