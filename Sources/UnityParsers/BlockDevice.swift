/// What kind of medium a block device sits on, for choosing health checks and expectations
/// (SMART attributes, wear, spin-up). See `BlockDeviceClassifier` for the rule.
public enum BlockDeviceMedia: String, Sendable, Equatable, Codable, CaseIterable {
    case hdd
    case ssd
    case nvme
    case virtual
    case other
}

/// One device from `lsblk --json`, with its children (partitions, LUKS mappings, LVM volumes).
public struct BlockDevice: Sendable, Equatable, Codable {
    /// Device name ("sda1"); falls back to `kname`, then the last part of `path`.
    public var name: String
    public var kernelName: String?
    public var path: String?
    /// lsblk TYPE: disk, part, lvm, crypt, rom, loop, raid1, md, mpath…
    public var type: String
    /// Size in bytes. With `lsblk -b` this is exact; older captures without -b print "14.3G",
    /// which is converted but flagged by `sizeIsApproximate`.
    public var sizeBytes: UInt64?
    public var sizeIsApproximate: Bool
    public var isRotational: Bool?
    public var isRemovable: Bool?
    public var isReadOnly: Bool?
    /// TRAN: sata, nvme, usb, iscsi, sas, virtio…; usually only set on whole disks.
    public var transport: String?
    /// Model with lsblk's space padding removed.
    public var model: String?
    public var serial: String?
    public var fsType: String?
    public var label: String?
    public var uuid: String?
    /// Every mount point (2.37+ lists bind mounts too); empty when not mounted. "[SWAP]" for swap.
    public var mountPoints: [String]
    public var media: BlockDeviceMedia
    public var children: [BlockDevice]

    public init(
        name: String, kernelName: String? = nil, path: String? = nil, type: String, sizeBytes: UInt64?,
        sizeIsApproximate: Bool = false, isRotational: Bool? = nil, isRemovable: Bool? = nil,
        isReadOnly: Bool? = nil, transport: String? = nil, model: String? = nil, serial: String? = nil,
        fsType: String? = nil, label: String? = nil, uuid: String? = nil, mountPoints: [String] = [],
        media: BlockDeviceMedia, children: [BlockDevice] = []
    ) {
        self.name = name
        self.kernelName = kernelName
        self.path = path
        self.type = type
        self.sizeBytes = sizeBytes
        self.sizeIsApproximate = sizeIsApproximate
        self.isRotational = isRotational
        self.isRemovable = isRemovable
        self.isReadOnly = isReadOnly
        self.transport = transport
        self.model = model
        self.serial = serial
        self.fsType = fsType
        self.label = label
        self.uuid = uuid
        self.mountPoints = mountPoints
        self.media = media
        self.children = children
    }
}

/// The device tree lsblk printed.
public struct BlockDeviceReport: Sendable, Equatable, Codable {
    /// Top-level devices; partitions and mappings are in `children`.
    public var devices: [BlockDevice]
    /// Entries that were skipped (no name at all, nesting too deep), one message each.
    public var warnings: [String]

    public init(devices: [BlockDevice], warnings: [String]) {
        self.devices = devices
        self.warnings = warnings
    }

    /// Depth-first list of every device with the name of its parent (nil for top level), for
    /// callers that want rows instead of a tree.
    public var flattened: [(device: BlockDevice, parent: String?)] {
        var rows: [(device: BlockDevice, parent: String?)] = []
        func visit(_ device: BlockDevice, parent: String?) {
            rows.append((device, parent))
            for child in device.children { visit(child, parent: device.name) }
        }
        for device in devices { visit(device, parent: nil) }
        return rows
    }
}
