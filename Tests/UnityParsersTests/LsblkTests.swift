import Testing
@testable import UnityParsers

@Suite("lsblk --json")
struct LsblkTests {
    static let covered = [
        "lsblk-json/disko-lsblk-bytes-dos-and-gpt.json", "lsblk-json/disko-lsblk-many-cols-gpt-ntfs-luks-btrfs.json",
        "lsblk-json/drivelist-legacy-lsblk-string-booleans.json", "lsblk-json/node-debug-dashboard-talos-longhorn-iscsi.json",
        "lsblk-json/node-debug-dashboard-talos-qemu-many-iscsi.json",
    ]

    @Test func everyFixtureIsCovered() throws {
        #expect(try FixtureLoader.files(in: "lsblk-json") == Self.covered.sorted())
    }

    @Test func legacyStringBooleansAndSingleMountpoint() throws {
        let report = try Lsblk.parse(FixtureLoader.text("lsblk-json/drivelist-legacy-lsblk-string-booleans.json"))
        #expect(report.warnings.isEmpty)
        #expect(report.devices.map(\.name) == ["sda", "nvme0n1"])
        let usb = report.devices[0]
        #expect(usb.isRemovable == true)
        #expect(usb.isReadOnly == false)
        #expect(usb.mountPoints == ["/media/jwentz/Temp"])
        #expect(usb.children.isEmpty)
        #expect(usb.sizeIsApproximate)
        #expect(usb.sizeBytes == 15_354_508_083)  // "14.3G" = 14.3 × 2^30, rounded
        #expect(usb.media == .other)  // no ROTA/TRAN columns: not guessed
        let nvme = report.devices[1]
        #expect(nvme.media == .nvme)
        #expect(nvme.isRemovable == false)
        #expect(nvme.mountPoints.isEmpty)
        #expect(nvme.children.map(\.name) == ["nvme0n1p3", "nvme0n1p1", "nvme0n1p2"])
        #expect(nvme.children.map(\.mountPoints) == [["[SWAP]"], ["/boot/efi"], ["/"]])
        #expect(nvme.children.allSatisfy { $0.media == .nvme && $0.type == "part" })
        #expect(report.flattened.count == 5)
        #expect(report.flattened.last?.parent == "nvme0n1")
    }

    @Test func talosNodeWithSataSSDsAndISCSIVolume() throws {
        let report = try Lsblk.parse(FixtureLoader.text("lsblk-json/node-debug-dashboard-talos-longhorn-iscsi.json"))
        #expect(report.devices.map(\.name) == ["loop0", "loop1", "loop2", "loop3", "sda", "sdb", "sdc"])
        #expect(report.devices.prefix(4).allSatisfy { $0.media == .virtual && $0.type == "loop" })
        let sda = report.devices[4]
        #expect(sda.model == "PNY CS900 240GB")  // padding removed
        #expect(sda.transport == "sata")
        #expect(sda.isRotational == false)
        #expect(sda.media == .ssd)
        #expect(sda.fsType == nil)
        #expect(sda.serial == nil)
        #expect(sda.children.count == 4)
        #expect(sda.children.allSatisfy { $0.media == .ssd })
        #expect(sda.children.last?.mountPoints == ["/host/var"])
        let sdb = report.devices[5]
        #expect(sdb.model == "TOSHIBA THNSNJ25")
        #expect(sdb.children.first?.mountPoints == ["/host/var/mnt/longhorn-data"])
        let iscsi = report.devices[6]
        #expect(iscsi.model == "VIRTUAL-DISK")
        #expect(iscsi.isRotational == true)
        #expect(iscsi.media == .virtual)
        #expect(iscsi.sizeBytes == 100 * 1024 * 1024)
    }

    @Test func qemuDisksAndManyISCSIVolumesAreVirtual() throws {
        let report = try Lsblk.parse(FixtureLoader.text("lsblk-json/node-debug-dashboard-talos-qemu-many-iscsi.json"))
        #expect(report.devices.count == 20)
        let byName = Dictionary(uniqueKeysWithValues: report.devices.map { ($0.name, $0) })
        #expect(byName["sda"]?.model == "QEMU HARDDISK")
        #expect(byName["sda"]?.isRotational == true)
        #expect(byName["sda"]?.media == .virtual)  // QEMU reports ROTA=1 for every emulated disk
        #expect(byName["sda"]?.children.count == 6)
        #expect(byName["sda"]?.children.last?.mountPoints == ["/host/var"])
        #expect(byName["sdb"]?.sizeBytes == UInt64(320) << 30)
        #expect(byName["sdb"]?.children.first?.mountPoints == ["/host/var/mnt/longhorn-data"])
        let iscsi = report.devices.filter { $0.transport == "iscsi" }
        #expect(iscsi.count == 12)
        #expect(iscsi.allSatisfy { $0.media == .virtual })
        #expect(byName["sr0"]?.type == "rom")
        #expect(byName["sr0"]?.media == .other)
        #expect(byName["sr0"]?.transport == "ata")
        #expect(Set(report.devices.map(\.media)) == [.virtual, .other])
    }

    @Test func exactBytesWithoutNameColumn() throws {
        let report = try Lsblk.parse(FixtureLoader.text("lsblk-json/disko-lsblk-bytes-dos-and-gpt.json"))
        #expect(report.warnings.isEmpty)
        #expect(report.devices.map(\.name) == ["sda", "sdb", "sdc", "sdd"])
        let sda = report.devices[0]
        #expect(sda.sizeBytes == 256060514304)
        #expect(!sda.sizeIsApproximate)
        #expect(sda.path == "/dev/sda")
        #expect(sda.kernelName == "sda")
        #expect(sda.model == "SAMSUNG SSD PM830 mSATA 256GB")
        #expect(sda.serial == "S0XPNYAD407619")
        #expect(sda.mountPoints.isEmpty)  // [null]
        #expect(sda.children.isEmpty)  // dos table, no partitions listed
        #expect(sda.media == .other)  // no ROTA/TRAN columns
        #expect(report.devices[1].children.map(\.fsType) == ["ntfs", "ntfs", "vfat", "ntfs"])
        #expect(report.devices[1].children.first?.label == "System Reserved")
        let sdc = report.devices[2]
        #expect(sdc.children[1].mountPoints == ["/nix/store", "/"])
        let luks = sdc.children[2]
        #expect(luks.fsType == "crypto_LUKS")
        let crypt = try #require(luks.children.first)
        #expect(crypt.name == "dm-0")
        #expect(crypt.type == "crypt")
        #expect(crypt.path == "/dev/mapper/crypt-home")
        #expect(crypt.fsType == "btrfs")
        #expect(crypt.mountPoints == ["/home"])
        #expect(crypt.sizeBytes == 631793254400)
        #expect(crypt.uuid == "1900f25d-5b93-41f1-a3d4-18fdbd70fe8b")
        #expect(report.devices[3].children[1].label == "Groß")
        #expect(report.devices[3].children[1].sizeBytes == 2000263577600)
        #expect(report.flattened.count == 4 + 4 + 4 + 1 + 2)
    }

    @Test func humanSizesFromManyColumnOutput() throws {
        let report = try Lsblk.parse(FixtureLoader.text("lsblk-json/disko-lsblk-many-cols-gpt-ntfs-luks-btrfs.json"))
        #expect(report.devices.map(\.name) == ["sda", "sdb", "sdc", "sdd"])
        let sda = report.devices[0]
        #expect(sda.sizeIsApproximate)
        #expect(sda.sizeBytes == 1_979_120_929_997)  // "1.8T"
        #expect(sda.children.map(\.sizeBytes) == [128 * 1024 * 1024, 1_979_120_929_997])
        #expect(sda.children[1].label == "Groß")
        #expect(sda.children[1].mountPoints == ["/mnt/g"])
        let sdd = report.devices[3]
        #expect(sdd.children[1].mountPoints == ["/nix/store", "/"])
        #expect(sdd.children[2].children.first?.type == "crypt")
        #expect(sdd.children[2].children.first?.mountPoints == ["/home"])
        #expect(report.devices[2].children.isEmpty)
    }

    @Test func everyBooleanAndSizeSpelling() throws {
        let report = try Lsblk.parse("""
            {"blockdevices": [
              {"name": "sda", "type": "disk", "size": "1000", "rota": "1", "rm": 0, "ro": "false", "tran": "sata"},
              {"name": "sdb", "type": "disk", "size": 2000, "rota": false, "tran": "usb", "model": "  Stick  "},
              {"name": "sdc", "type": "disk", "size": "512B", "rota": "0"},
              {"name": "vda", "type": "disk", "size": 10, "rota": true, "tran": null, "model": null},
              {"name": "zram0", "type": "disk", "size": 10, "rota": false},
              {"kname": "md0", "type": "raid1", "size": 10},
              {"path": "/dev/nvme1n1", "type": "disk", "size": null},
              {"type": "disk"},
              "not an object"
            ]}
            """)
        #expect(report.devices.map(\.name) == ["sda", "sdb", "sdc", "vda", "zram0", "md0", "nvme1n1"])
        #expect(report.devices.map(\.media) == [.hdd, .ssd, .other, .virtual, .virtual, .other, .nvme])
        #expect(report.devices[0].sizeBytes == 1000)
        #expect(!report.devices[0].sizeIsApproximate)
        #expect(report.devices[0].isRemovable == false)
        #expect(report.devices[0].isReadOnly == false)
        #expect(report.devices[1].model == "Stick")
        #expect(report.devices[2].sizeBytes == 512)
        #expect(report.devices[2].sizeIsApproximate)
        #expect(report.devices[6].sizeBytes == nil)
        #expect(report.warnings.count == 2)
    }

    @Test func deepNestingIsCutNotRecursedForever() throws {
        var json = #"{"name": "leaf", "type": "part"}"#
        for level in 0..<40 { json = #"{"name": "d\#(level)", "type": "disk", "children": [\#(json)]}"# }
        let report = try Lsblk.parse(#"{"blockdevices": [\#(json)]}"#)
        #expect(report.flattened.count == Lsblk.maximumDepth)
        #expect(report.warnings.count == 1)
    }

    @Test func rejectsWhatIsNotLsblkJSON() throws {
        #expect(throws: ParseError.self) { try Lsblk.parse("") }
        #expect(throws: ParseError.self) { try Lsblk.parse("{}") }
        #expect(throws: ParseError.self) { try Lsblk.parse("[1, 2]") }
        #expect(throws: ParseError.self) { try Lsblk.parse(#"{"blockdevices": {}}"#) }
        #expect(throws: ParseError.self) { try Lsblk.parse("NAME MAJ:MIN RM SIZE RO TYPE MOUNTPOINT\nsda 8:0 0 10G 0 disk\n") }
        let truncated = try FixtureLoader.text("lsblk-json/drivelist-legacy-lsblk-string-booleans.json").prefix(300)
        let error = #expect(throws: ParseError.self) { try Lsblk.parse(String(truncated)) }
        #expect(error?.reason.hasPrefix("invalid JSON") == true)
    }
}
