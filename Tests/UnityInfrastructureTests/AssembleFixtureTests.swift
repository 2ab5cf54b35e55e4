import Foundation
import Testing
import UnityParsers
@testable import UnityInfrastructure

/// Assembles snapshots from the real captures in Fixtures/ (see Fixtures/SOURCES.md).
@Suite struct AssembleFixtureTests {
    static func ok(_ name: String, _ fixture: String, exit: Int = 0) throws -> SectionResult {
        SectionResult(name: name, stdout: try FixtureLoader.text(fixture), exitStatus: exit, state: .completed)
    }

    static func hostSections(stat: String = "proc-stat/jc-stat-2cpu.txt") throws -> [SectionResult] {
        [
            SectionResult(name: "os-release", stdout: "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n",
                          exitStatus: 0, state: .completed),
            SectionResult(name: "uname", stdout: "Linux 6.1.0-18-amd64 x86_64\n", exitStatus: 0, state: .completed),
            SectionResult(name: "hostname", stdout: "nas\n", exitStatus: 0, state: .completed),
            try ok("proc-stat", stat),
            try ok("proc-meminfo", "proc-meminfo/node-exporter-meminfo-swap-in-use.txt"),
            try ok("proc-loadavg", "proc-loadavg-uptime/jc-loadavg.txt"),
            try ok("proc-uptime", "proc-loadavg-uptime/jc-proc-uptime.txt"),
            try ok("df", "df/rohanboard-df-B1-nfs-100pct.txt"),
            try ok("lsblk", "lsblk-json/node-debug-dashboard-talos-longhorn-iscsi.json"),
        ]
    }

    static func storageSections() throws -> [SectionResult] {
        [
            try ok("smartctl-scan", "smartctl-json/scan-sata-and-nvme.json"),
            // Named with the scan's -d type, as the script names them.
            try ok("smartctl:/dev/sda -d sat", "smartctl-json/ata-seagate-reallocated-304-passed.json"),
            try ok("smartctl:/dev/nvme0 -d nvme", "smartctl-json/nvme-samsung-970evo-media-errors.json"),
            try ok("zpool-list", "zpool-synthetic/zpool-list-Hp.txt"),
            try ok("zpool-status", "zpool-synthetic/raidz2-spares-logs-cache-special-two-pools.txt"),
            try ok("mdstat", "mdstat/pymdstat-07-raid1-failed-member.txt"),
            try ok("mdadm:/dev/md1", "mdadm-detail/raid1-degraded-faulty-and-removed-slot.txt"),
        ]
    }

    @Test func hostSectionsFillEveryField() throws {
        let (snapshot, errors) = HostSnapshot.assemble(sections: try Self.hostSections(), previous: nil)
        #expect(errors == [])
        #expect(snapshot.hostname == "nas")
        #expect(snapshot.operatingSystem == OperatingSystem(
            id: "debian", name: "Debian GNU/Linux", versionID: "12", kernelName: "Linux",
            kernelRelease: "6.1.0-18-amd64", architecture: "x86_64"))
        #expect(snapshot.cpuCount == 2)
        #expect(snapshot.cpuTimes?.user == 6002)
        #expect(snapshot.cpuPercent == nil)
        #expect(snapshot.memory?.swapTotalBytes ?? 0 > 0)
        #expect(snapshot.load?.one == 0.00 && snapshot.load?.totalTasks == 111)
        #expect(snapshot.uptimeSeconds ?? 0 > 0)
        #expect(snapshot.filesystems.map(\.mountPoint) == ["/cluster/balar", "/cluster_HDD/sorona", "/rhome"])
        #expect(snapshot.filesystems.first?.sizeBytes == 45_847_312_072_704)
        // Loop devices and the iSCSI volume are virtual, the SATA disks are SSDs.
        #expect(snapshot.blockDevices.contains { $0.name.hasPrefix("loop") && $0.media == .virtual })
        #expect(snapshot.blockDevices.contains { $0.media == .ssd })
    }

    @Test func cpuPercentComesFromTheDeltaAndResetsOnReboot() throws {
        let previous = HostSnapshot(
            cpuTimes: CPUTimes(user: 5002, nice: 152, system: 8398, idle: 3443436, iowait: 448, irq: 0, softirq: 1174,
                               steal: 0, guest: 0, guestNice: 0))
        let (snapshot, _) = HostSnapshot.assemble(sections: try Self.hostSections(), previous: previous)
        // 1000 busy jiffies (user) and 1000 idle jiffies since the previous cycle.
        #expect(snapshot.cpuPercent == 50)

        var rebooted = previous
        rebooted.cpuTimes?.user = 999_999_999  // counters larger than now: the host restarted
        let (afterReboot, _) = HostSnapshot.assemble(sections: try Self.hostSections(), previous: rebooted)
        #expect(afterReboot.cpuPercent == nil)
    }

    @Test func storageSectionsMergeAndAssessHealth() throws {
        let (snapshot, errors) = HostSnapshot.assemble(sections: try Self.storageSections(), previous: nil)
        #expect(errors == [])
        #expect(snapshot.smart.map(\.device) == ["/dev/sda", "/dev/nvme0"])
        #expect(snapshot.smart.first?.assessment.level == .critical)  // 304 reallocated: 57 % a year (docs/smart-levels.md)
        #expect(snapshot.smart.map(\.type) == ["sat", "nvme"])
        #expect(snapshot.smart.last?.report.mediaType == .nvme)
        #expect(snapshot.zpools.map(\.name) == ["tank", "backup", "rpool", "usb"])
        let backup = try #require(snapshot.zpools.first { $0.name == "backup" })
        #expect(backup.list?.health == .degraded && backup.status?.state == .degraded)
        #expect(snapshot.zpools.first { $0.name == "tank" }?.status == nil)
        let md = try #require(snapshot.mdArrays.first)
        #expect(md.name == "md1" && md.status?.isDegraded == true && md.detail != nil)
    }

    @Test func smartGrowthIsJudgedAgainstTheSameSerialOnly() throws {
        let (first, _) = HostSnapshot.assemble(sections: try Self.storageSections(), previous: nil)
        var previous = first
        let nvme = try #require(previous.smart.firstIndex { $0.device == "/dev/nvme0" })
        previous.smart[nvme].report.nvmeHealth?.mediaErrors = 3
        let (grown, _) = HostSnapshot.assemble(sections: try Self.storageSections(), previous: previous)
        #expect(grown.smart.first { $0.device == "/dev/nvme0" }?.assessment.level == .critical)

        previous.smart[nvme].report.serialNumber = "ANOTHER-DRIVE"
        let (otherDrive, _) = HostSnapshot.assemble(sections: try Self.storageSections(), previous: previous)
        #expect(otherDrive.smart.first { $0.device == "/dev/nvme0" }?.assessment.level == .warning)
    }

    @Test func smartExitBitsAreHealthNotCollectionErrors() throws {
        let sections = [
            try Self.ok("smartctl:/dev/sdb", "smartctl-json/scsi-qemu-virtual-disk-no-smart.json", exit: 4),
            try Self.ok("smartctl:/dev/sdc", "smartctl-json/error-open-device-failed.json", exit: 2),
        ]
        let (snapshot, errors) = HostSnapshot.assemble(sections: sections, previous: nil)
        #expect(snapshot.smart.map(\.assessment.level) == [.unknown, .unknown])
        // No SMART on a virtual disk is not an error; a device that cannot be opened is.
        #expect(errors.map(\.section) == ["smartctl:/dev/sdc"])
        #expect(errors.first?.exitStatus == 2 && errors.first?.command == "smartctl --json -x /dev/sdc")
    }

    @Test func everyFailureIsRecordedAndTheRestStillFills() throws {
        var sections = try Self.hostSections() + Self.storageSections()
        let replaced = ["proc-meminfo", "smartctl:/dev/nvme0 -d nvme", "zpool-status", "df", "proc-uptime", "zpool-list"]
        sections.removeAll { replaced.contains($0.name) }
        sections += [
            SectionResult(name: "proc-meminfo", stdout: "garbage\n", exitStatus: 0, state: .completed),
            SectionResult(name: "zpool-status", stderr: "sudo: a password is required", exitStatus: 1, state: .completed),
            SectionResult(name: "df", stdout: "Filesystem 1B-blocks", state: .truncated),
            SectionResult(name: "proc-uptime", state: .missing),
            SectionResult(name: "zpool-list", stderr: "Terminated", exitStatus: 124, state: .timedOut),
            SectionResult(name: "mdadm", stderr: "mdadm: not installed", exitStatus: 127, state: .notInstalled),
        ]
        let (snapshot, errors) = HostSnapshot.assemble(sections: sections, previous: nil)
        let bySection = Dictionary(errors.map { ($0.section, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(bySection["proc-meminfo"]?.message.contains("meminfo") == true)
        #expect(bySection["zpool-status"] == CollectionError(
            section: "zpool-status", command: "zpool status -p", exitStatus: 1, message: "sudo: a password is required",
            kind: .permissionDenied))
        #expect(bySection["proc-meminfo"]?.kind == .unreadableOutput && bySection["zpool-list"]?.kind == .timedOut)
        #expect(bySection["df"]?.kind == .incomplete && bySection["proc-uptime"]?.kind == .incomplete)
        #expect(bySection["df"]?.message.contains("cut short") == true)
        #expect(bySection["proc-uptime"]?.message.contains("no output") == true)
        #expect(bySection["zpool-list"]?.message.hasPrefix("timed out") == true)
        #expect(bySection["smartctl:/dev/nvme0 -d nvme"]?.message.contains("no smartctl section") == true)
        #expect(bySection["mdadm"] == nil && snapshot.unavailable["mdadm"] == "mdadm: not installed")
        #expect(snapshot.memory == nil && snapshot.filesystems.isEmpty && snapshot.uptimeSeconds == nil)
        #expect(snapshot.zpools.isEmpty)
        #expect(snapshot.cpuCount == 2 && snapshot.load != nil && snapshot.smart.count == 1)
        #expect(snapshot.mdArrays.count == 1 && !snapshot.blockDevices.isEmpty)
    }

    @Test func snapshotRoundTripsThroughJSON() throws {
        let (snapshot, errors) = HostSnapshot.assemble(
            sections: try Self.hostSections() + Self.storageSections(), previous: nil)
        let data = try JSONEncoder().encode(snapshot)
        #expect(try JSONDecoder().decode(HostSnapshot.self, from: data) == snapshot)
        #expect(try JSONDecoder().decode([CollectionError].self, from: JSONEncoder().encode(errors)) == errors)
    }
}
