import Testing
@testable import UnityParsers

@Suite("/proc/mdstat")
struct ProcMdstatTests {
    static let covered = [
        "mdstat/procfs-many-arrays-all-states.txt", "mdstat/pymdstat-01-no-arrays.txt",
        "mdstat/pymdstat-02-raid5-healthy-bitmap.txt", "mdstat/pymdstat-03-raid5-degraded-missing-member.txt",
        "mdstat/pymdstat-05-raid5-recovery.txt", "mdstat/pymdstat-07-raid1-failed-member.txt",
        "mdstat/pymdstat-08-raid5-inactive.txt", "mdstat/pymdstat-09-inactive-all-spares.txt",
        "mdstat/pymdstat-13-raid4-reshape-degraded.txt", "mdstat/pymdstat-15-raid6-raid1-unindented.txt",
    ]

    @Test func everyFixtureIsCovered() throws {
        #expect(try FixtureLoader.files(in: "mdstat") == Self.covered.sorted())
    }

    static func parse(_ name: String) throws -> MDStatReport {
        let report = try ProcMdstat.parse(FixtureLoader.text("mdstat/\(name)"))
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        return report
    }

    static func array(_ report: MDStatReport, _ name: String) throws -> MDArrayStatus {
        try #require(report.arrays.first { $0.name == name })
    }

    @Test func manyArraysInEveryState() throws {
        let report = try Self.parse("procfs-many-arrays-all-states.txt")
        #expect(report.personalities == ["linear", "multipath", "raid0", "raid1", "raid6", "raid5", "raid4", "raid10"])
        #expect(report.arrays.map(\.name) == [
            "md3", "md127", "md0", "md4", "md6", "md8", "md201", "md7", "md9", "md10", "md11", "md12", "md126",
            "md219", "md00", "md120", "md101", "md42",
        ])
        #expect(report.unusedDevices.isEmpty)
        #expect(report.arrays.filter(\.isDegraded).map(\.name) == ["md6", "md7", "md42"])
        #expect(report.arrays.filter { !$0.isActive }.map(\.name) == ["md4", "md219"])

        let md3 = try Self.array(report, "md3")
        #expect(md3.level == "raid6")
        #expect(md3.members.count == 10)
        #expect(md3.spareMembers.map(\.device) == ["sdd1", "sdd2"])
        #expect(md3.blocks == 5853468288)
        #expect(md3.superblock == "1.2")
        #expect(md3.chunkKiB == 64)
        #expect(md3.raidDisks == 8 && md3.activeDisks == 8)
        #expect(md3.slotStatus == "UUUUUUUU")
        #expect(md3.progress == nil)

        let md4 = try Self.array(report, "md4")
        #expect(md4.members == [
            MDMember(device: "sda3", roleIndex: 0, isFaulty: true), MDMember(device: "sdb3", roleIndex: 1, isSpare: true),
        ])

        let md6 = try Self.array(report, "md6")
        #expect(md6.raidDisks == 2 && md6.activeDisks == 1)
        #expect(md6.slotStatus == "U_")
        #expect(md6.faultyMembers.map(\.device) == ["sdb2"])
        #expect(md6.progress == MDSyncProgress(
            action: .recovery, state: .running, percent: 8.5, doneBlocks: 16775552, totalBlocks: 195310144,
            finishMinutes: 17.0, speedKiBPerSecond: 259783
        ))
        #expect(try Self.array(report, "md8").progress?.action == .resync)
        #expect(try Self.array(report, "md201").progress == MDSyncProgress(
            action: .check, state: .running, percent: 5.7, doneBlocks: 114176, totalBlocks: 1993728,
            finishMinutes: 0.2, speedKiBPerSecond: 114176
        ))

        let md7 = try Self.array(report, "md7")
        #expect(md7.slotStatus == "U_UU")
        #expect(md7.faultyMembers.map(\.device) == ["sdc1"])
        #expect(md7.chunkKiB == 512)
        #expect(md7.bitmap == MDBitmap(pagesUsed: 0, pagesTotal: 30, memoryKiB: 0, chunkKiB: 65536))

        let md9 = try Self.array(report, "md9")
        #expect(md9.progress == MDSyncProgress(action: .resync, state: .delayed))
        #expect(md9.faultyMembers.map(\.device) == ["sde", "sdf"])
        #expect(md9.spareMembers.map(\.device) == ["sdg"])
        #expect(!md9.isDegraded)  // failed extras, all 4 slots up

        let md10 = try Self.array(report, "md10")
        #expect(md10.level == "raid0" && md10.blocks == 314159265 && md10.chunkKiB == 64 && md10.raidDisks == nil)

        let md11 = try Self.array(report, "md11")
        #expect(md11.readOnly == .autoReadOnly)
        #expect(md11.progress == MDSyncProgress(action: .resync, state: .pending))
        #expect(md11.members.map(\.device) == ["sdb2", "sdc2", "sdc3", "hda", "ssdc2"])

        #expect(try Self.array(report, "md126").superblock == "external:/md127/0")
        #expect(try Self.array(report, "md126").chunkKiB == 128)
        let md219 = try Self.array(report, "md219")
        #expect(md219.level == nil)
        #expect(md219.superblock == "external:imsm")
        #expect(md219.blocks == 7932)
        #expect(md219.members.allSatisfy(\.isSpare) && md219.members.count == 3)
        #expect(try Self.array(report, "md00").members == [MDMember(device: "xvdb", roleIndex: 0)])
        #expect(try Self.array(report, "md120").level == "linear")
        #expect(try Self.array(report, "md101").readOnly == .readOnly)

        let md42 = try Self.array(report, "md42")
        #expect(md42.level == "raid5")
        #expect(md42.slotStatus == "UU_")
        #expect(md42.progress == MDSyncProgress(
            action: .reshape, state: .running, percent: 56.1, doneBlocks: 1096879076, totalBlocks: 1953381440,
            finishMinutes: 1868.1, speedKiBPerSecond: 7640
        ))
        #expect(md42.bitmap == MDBitmap(pagesUsed: 4, pagesTotal: 15, memoryKiB: 16, chunkKiB: 65536))
    }

    @Test func noArraysAtAll() throws {
        let report = try Self.parse("pymdstat-01-no-arrays.txt")
        #expect(report == MDStatReport(personalities: [], arrays: [], unusedDevices: [], warnings: []))
    }

    @Test func healthyRaid5WithBitmap() throws {
        let array = try #require(try Self.parse("pymdstat-02-raid5-healthy-bitmap.txt").arrays.first)
        #expect(array.name == "md_d0")
        #expect(array.level == "raid5")
        #expect(array.members.map(\.roleIndex) == [0, 4, 5, 2, 1])
        #expect(array.raidDisks == 5 && array.activeDisks == 5)
        #expect(!array.isDegraded)
        #expect(array.blocks == 1250241792)
        #expect(array.bitmap == MDBitmap(pagesUsed: 0, pagesTotal: 10, memoryKiB: 0, chunkKiB: 16384))
    }

    @Test func degradedRaid5WithMissingMember() throws {
        let array = try #require(try Self.parse("pymdstat-03-raid5-degraded-missing-member.txt").arrays.first)
        #expect(array.isDegraded)
        #expect(array.raidDisks == 4 && array.activeDisks == 3)
        #expect(array.slotStatus == "UUU_")
        #expect(array.members.count == 3)
        #expect(array.faultyMembers.isEmpty)
        #expect(array.superblock == nil)
    }

    @Test func raid5Recovery() throws {
        let array = try #require(try Self.parse("pymdstat-05-raid5-recovery.txt").arrays.first)
        #expect(array.name == "md127")
        #expect(array.isDegraded)
        #expect(array.slotStatus == "UUUUU_")
        #expect(array.progress == MDSyncProgress(
            action: .recovery, state: .running, percent: 12.6, doneBlocks: 37043392, totalBlocks: 292945152,
            finishMinutes: 127.5, speedKiBPerSecond: 33440
        ))
    }

    @Test func raid1WithFailedMember() throws {
        let array = try #require(try Self.parse("pymdstat-07-raid1-failed-member.txt").arrays.first)
        #expect(array.level == "raid1")
        #expect(array.raidDisks == 6 && array.activeDisks == 4)
        #expect(array.slotStatus == "_UUUU_")
        #expect(array.isDegraded)
        #expect(array.faultyMembers == [MDMember(device: "sde1", roleIndex: 6, isFaulty: true)])
    }

    @Test func inactiveRaid5() throws {
        let array = try #require(try Self.parse("pymdstat-08-raid5-inactive.txt").arrays.first)
        #expect(!array.isActive)
        #expect(array.level == "raid5")
        #expect(array.members.map(\.device) == ["sdd1", "sdc1", "sda1"])
        #expect(array.chunkKiB == 128)
    }

    @Test func inactiveArrayOfSpares() throws {
        let report = try Self.parse("pymdstat-09-inactive-all-spares.txt")
        #expect(report.arrays.map(\.name) == ["md0", "md1", "md2"])
        #expect(report.arrays.map(\.isActive) == [true, true, false])
        let md2 = report.arrays[2]
        #expect(md2.level == nil)
        #expect(md2.members.count == 4 && md2.members.allSatisfy(\.isSpare))
        #expect(md2.blocks == 5860553984)
        #expect(md2.raidDisks == nil)
        #expect(!md2.isDegraded)
    }

    @Test func raid4ReshapeWhileDegraded() throws {
        let array = try #require(try Self.parse("pymdstat-13-raid4-reshape-degraded.txt").arrays.first)
        #expect(array.level == "raid4")
        #expect(array.members.map(\.device) == ["loop2", "loop1", "loop0"])
        #expect(array.slotStatus == "UU__")
        #expect(array.isDegraded)
        #expect(array.chunkKiB == 32)
        #expect(array.progress == MDSyncProgress(
            action: .reshape, state: .running, percent: 2.1, doneBlocks: 115168, totalBlocks: 5237760,
            finishMinutes: 3.7, speedKiBPerSecond: 23033
        ))
    }

    @Test func unindentedDetailLines() throws {
        let report = try Self.parse("pymdstat-15-raid6-raid1-unindented.txt")
        #expect(report.arrays.map(\.name) == ["md3", "md2", "md1", "md0"])
        #expect(report.arrays.map(\.level) == ["raid6", "raid6", "raid1", "raid1"])
        #expect(report.arrays.map(\.blocks) == [17581481472, 17552612736, 2097088, 2490176])
        #expect(report.arrays.allSatisfy { $0.raidDisks == 8 && $0.activeDisks == 8 && !$0.isDegraded })
        #expect(report.arrays.allSatisfy { $0.members.count == 8 })
    }

    @Test func memberFlags() {
        #expect(MDStatLines.member("sdb1[3](W)(F)") == MDMember(device: "sdb1", roleIndex: 3, isFaulty: true, isWriteMostly: true))
        #expect(MDStatLines.member("sdc1[4](R)") == MDMember(device: "sdc1", roleIndex: 4, isReplacement: true))
        #expect(MDStatLines.member("sdd[x]") == nil)
        #expect(MDStatLines.member("[1]") == nil)
        #expect(MDStatLines.member("sde[1](") == nil)
    }

    @Test func unusedDevicesAndUnknownLines() throws {
        let report = try ProcMdstat.parse("""
            Personalities : [raid1]
            md0 : active raid1 sda1[0] sdb1[1]
                  100 blocks [2/2] [UU]
                  something new = here
            unused devices: sdc1 sdd1
            """)
        #expect(report.unusedDevices == ["sdc1", "sdd1"])
        #expect(report.warnings == ["line 4: unrecognised line in md0"])
    }

    @Test func rejectsWhatIsNotMdstat() throws {
        #expect(throws: ParseError.self) { try ProcMdstat.parse("") }
        #expect(throws: ParseError.self) { try ProcMdstat.parse("hello world\n") }
        #expect(throws: ParseError.self) { try ProcMdstat.parse(FixtureLoader.text("mdadm-detail/raid1-clean.txt")) }
        #expect(throws: ParseError.self) { try ProcMdstat.parse(FixtureLoader.text("df/jc-df-centos7.txt")) }
    }
}
