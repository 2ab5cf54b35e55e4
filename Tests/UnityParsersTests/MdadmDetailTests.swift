import Testing
@testable import UnityParsers

@Suite("mdadm --detail")
struct MdadmDetailTests {
    static let covered = [
        "mdadm-detail/ddf-container-member-raid1.txt", "mdadm-detail/raid0-clean.txt",
        "mdadm-detail/raid1-clean-metadata-0.90.txt", "mdadm-detail/raid1-clean-with-spare.txt",
        "mdadm-detail/raid1-clean.txt", "mdadm-detail/raid1-degraded-faulty-and-removed-slot.txt",
        "mdadm-detail/raid1-degraded-member-removed.txt", "mdadm-detail/raid1-degraded-recovering-24pct.txt",
        "mdadm-detail/raid1-resyncing-4pct.txt", "mdadm-detail/raid5-clean.txt",
    ]

    @Test func everyFixtureIsCovered() throws {
        #expect(try FixtureLoader.files(in: "mdadm-detail") == Self.covered.sorted())
    }

    static func parse(_ name: String) throws -> MDArrayDetail {
        let detail = try MdadmDetail.parse(FixtureLoader.text("mdadm-detail/\(name)"))
        #expect(detail.warnings.isEmpty, "\(detail.warnings)")
        return detail
    }

    static let vda1 = MDDetailMember(number: 0, major: 254, minor: 1, raidDevice: 0, state: ["active", "sync"], device: "/dev/vda1")
    static let vda2 = MDDetailMember(number: 1, major: 254, minor: 2, raidDevice: 1, state: ["active", "sync"], device: "/dev/vda2")
    static let removedSlot1 = MDDetailMember(number: nil, major: 0, minor: 0, raidDevice: 1, state: ["removed"], device: nil)

    @Test func cleanRaid1() throws {
        let detail = try Self.parse("raid1-clean.txt")
        #expect(detail.device == "/dev/md126")
        #expect(detail.metadataVersion == "1.2")
        #expect(detail.raidLevel == "raid1")
        #expect(detail.arraySizeBytes == 101376 * 1024)
        #expect(detail.usedDeviceSizeBytes == 101376 * 1024)
        #expect(detail.raidDevices == 2 && detail.totalDevices == 2)
        #expect(detail.state == "clean")  // printed as "clean " with a trailing space
        #expect(detail.stateFlags == ["clean"])
        #expect(detail.activeDevices == 2 && detail.workingDevices == 2 && detail.failedDevices == 0 && detail.spareDevices == 0)
        #expect(detail.uuid == "e054553a:fbccdcfe:0ae80bc8:9379377a")
        #expect(detail.name == "sysrescue:126")  // the "(local to host …)" note is dropped
        #expect(detail.events == "17")
        #expect(detail.consistencyPolicy == "resync")
        #expect(detail.syncStatus == nil)
        #expect(detail.members == [Self.vda1, Self.vda2])
        #expect(!detail.isDegraded && !detail.isFailed)
    }

    @Test func legacyMetadata090() throws {
        let detail = try Self.parse("raid1-clean-metadata-0.90.txt")
        #expect(detail.metadataVersion == "0.90")
        #expect(detail.uuid == "3f720601:29af5283:96fc04a8:108a4af7")  // "(local to host …)" dropped
        #expect(detail.fields["Preferred Minor"] == "0")
        #expect(detail.events == "0.18")
        #expect(detail.arraySizeBytes == 102336 * 1024)
        #expect(detail.name == nil)
        #expect(detail.members == [Self.vda1, Self.vda2])
    }

    @Test func cleanWithHotSpare() throws {
        let detail = try Self.parse("raid1-clean-with-spare.txt")
        #expect(detail.totalDevices == 3 && detail.workingDevices == 3 && detail.spareDevices == 1)
        #expect(detail.members.count == 3)
        #expect(detail.members[1].state == ["active", "sync", "failfast"])
        #expect(detail.members[2] == MDDetailMember(number: 3, major: 254, minor: 4, raidDevice: nil, state: ["spare"], device: "/dev/vda4"))
        #expect(detail.members.filter(\.isSpare).map(\.device) == ["/dev/vda4"])
        #expect(!detail.isDegraded)
    }

    @Test func degradedWithFaultyMemberAndRemovedSlot() throws {
        let detail = try Self.parse("raid1-degraded-faulty-and-removed-slot.txt")
        #expect(detail.stateFlags == ["clean", "degraded"])
        #expect(detail.isDegraded)
        #expect(detail.activeDevices == 1 && detail.failedDevices == 1)
        #expect(detail.members == [
            Self.vda1, Self.removedSlot1,
            MDDetailMember(number: 1, major: 254, minor: 2, raidDevice: nil, state: ["faulty"], device: "/dev/vda2"),
        ])
        #expect(detail.members.filter(\.isFaulty).map(\.device) == ["/dev/vda2"])
        #expect(detail.members[1].isRemoved)
    }

    @Test func degradedAfterFaultyMemberRemoved() throws {
        let detail = try Self.parse("raid1-degraded-member-removed.txt")
        #expect(detail.device == "/dev/md127")
        #expect(detail.isDegraded)
        #expect(detail.totalDevices == 1 && detail.activeDevices == 1 && detail.failedDevices == 0)
        #expect(detail.members == [Self.vda1, Self.removedSlot1])
        #expect(detail.members.filter { $0.device != nil }.count == 1)  // 1 of 2 members left
    }

    @Test func recoveringOntoSpare() throws {
        let detail = try Self.parse("raid1-degraded-recovering-24pct.txt")
        #expect(detail.state == "clean, degraded, recovering")
        #expect(detail.isDegraded && detail.isRecovering && !detail.isResyncing)
        #expect(detail.syncStatus == MDDetailSyncStatus(action: .recovery, percent: 24))
        #expect(detail.members[1] == MDDetailMember(
            number: 3, major: 254, minor: 4, raidDevice: 1, state: ["spare", "rebuilding"], device: "/dev/vda4"
        ))
        #expect(detail.members[1].isRebuilding)
        #expect(detail.members[2].state == ["faulty", "failfast"])
        #expect(detail.members[2].isFaulty)
        #expect(detail.spareDevices == 1 && detail.failedDevices == 1 && detail.workingDevices == 2)
    }

    @Test func resyncing() throws {
        let detail = try Self.parse("raid1-resyncing-4pct.txt")
        #expect(detail.stateFlags == ["clean", "resyncing"])
        #expect(detail.isResyncing && !detail.isDegraded)
        #expect(detail.syncStatus == MDDetailSyncStatus(action: .resync, percent: 4))
        #expect(detail.members == [Self.vda1, Self.vda2])
    }

    @Test func raid5WithLayout() throws {
        let detail = try Self.parse("raid5-clean.txt")
        #expect(detail.raidLevel == "raid5")
        #expect(detail.arraySizeBytes == 405504 * 1024)
        #expect(detail.usedDeviceSizeBytes == 202752 * 1024)
        #expect(detail.layout == "left-symmetric")
        #expect(detail.chunkSize == "512K")
        #expect(detail.raidDevices == 3)
        #expect(detail.members.map(\.device) == ["/dev/vda1", "/dev/vda2", "/dev/vda3"])
        #expect(detail.members.map(\.number) == [0, 1, 3])
        #expect(detail.members.map(\.raidDevice) == [0, 1, 2])
    }

    @Test func raid0WithoutRedundancy() throws {
        let detail = try Self.parse("raid0-clean.txt")
        #expect(detail.raidLevel == "raid0")
        #expect(detail.usedDeviceSizeBytes == nil)
        #expect(detail.layout == "-unknown-")
        #expect(detail.consistencyPolicy == "none")
        #expect(detail.uuid == "7e81a856:abb9c1c2:4b71237a:9778cc66")
        #expect(detail.events == "0")
        #expect(detail.members.count == 2)
    }

    @Test func volumeInsideDDFContainer() throws {
        let detail = try Self.parse("ddf-container-member-raid1.txt")
        #expect(detail.device == "/dev/md127")
        #expect(detail.container == "/dev/md0")
        #expect(detail.containerMember == 0)
        #expect(detail.metadataVersion == nil)
        #expect(detail.uuid == nil)
        #expect(detail.fields["Container GUID"] == "4C696E75:782D4D44:DEADBEEF:00000000:502D01BA:FB6D4FCB")
        #expect(detail.fields["Virtual Disks"] == "1")
        #expect(detail.arraySizeBytes == 786432 * 1024)
        #expect(detail.stateFlags == ["clean"])
        #expect(detail.members == [
            MDDetailMember(number: 0, major: 254, minor: 16, raidDevice: 0, state: ["active", "sync"], device: "/dev/vdb"),
            MDDetailMember(number: 1, major: 254, minor: 0, raidDevice: 1, state: ["active", "sync"], device: "/dev/vda"),
        ])
    }

    @Test func failedAndInactiveStates() throws {
        let failed = try MdadmDetail.parse("""
            /dev/md0:
                    Raid Level : raid5
                         State : clean, FAILED
                 Reshape Status : 7% complete
            """)
        #expect(failed.isFailed)
        #expect(failed.stateFlags == ["clean", "failed"])
        #expect(failed.syncStatus == MDDetailSyncStatus(action: .reshape, percent: 7))
        let inactive = try MdadmDetail.parse("/dev/md1:\n State : inactive\n")
        #expect(inactive.isInactive)
        #expect(inactive.raidLevel == nil)
    }

    @Test func rejectsWhatIsNotDetailOutput() throws {
        #expect(throws: ParseError.self) { try MdadmDetail.parse("") }
        let error = #expect(throws: ParseError.self) {
            try MdadmDetail.parse("mdadm: cannot open /dev/md9: No such file or directory\n")
        }
        #expect(error?.reason == "mdadm: cannot open /dev/md9: No such file or directory")
        #expect(throws: ParseError.self) { try MdadmDetail.parse(FixtureLoader.text("mdstat/pymdstat-07-raid1-failed-member.txt")) }
        let row = try MdadmDetail.parse("State : clean\n Number Major Minor RaidDevice State\n x y z\n")
        #expect(row.warnings == ["line 3: unreadable device row"])
    }
}
