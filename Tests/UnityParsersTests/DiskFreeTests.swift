import Testing
@testable import UnityParsers

@Suite("df")
struct DiskFreeTests {
    static let covered = [
        "df/jc-df-PT-long-filesystem-name.txt", "df/jc-df-centos7.txt", "df/jc-df-h-ubuntu1804.txt",
        "df/jc-df-ubuntu1804-snap-loops-full.txt", "df/rohanboard-df-B1-nfs-100pct.txt",
    ]

    @Test func everyFixtureIsCovered() throws {
        #expect(try FixtureLoader.files(in: "df") == Self.covered.sorted())
    }

    @Test func exactBytesWithFullNFSMount() throws {
        let report = try DiskFree.parse(FixtureLoader.text("df/rohanboard-df-B1-nfs-100pct.txt"))
        #expect(report.warnings.isEmpty)
        #expect(report.entries == [
            DiskFreeEntry(filesystem: "balar.vc.in.tum.de:/local", type: nil, sizeBytes: 45847312072704,
                          usedBytes: 43514124566528, availableBytes: 31591497728, capacityPercent: 100,
                          mountPoint: "/cluster/balar"),
            DiskFreeEntry(filesystem: "sorona.vc.in.tum.de:/local_HDD", type: nil, sizeBytes: 31869093543936,
                          usedBytes: 26418711887872, availableBytes: 3850489561088, capacityPercent: 88,
                          mountPoint: "/cluster_HDD/sorona"),
            DiskFreeEntry(filesystem: "/dev/mapper/i28storage-data", type: nil, sizeBytes: 21643952812032,
                          usedBytes: 19064114769920, availableBytes: 1480309862400, capacityPercent: 93,
                          mountPoint: "/rhome"),
        ])
        #expect(report.entries.allSatisfy { !$0.isPseudoFilesystem })
    }

    @Test func kibibyteBlocksOnCentOS() throws {
        let report = try DiskFree.parse(FixtureLoader.text("df/jc-df-centos7.txt"))
        #expect(report.entries.count == 7)
        let root = try #require(report.entries.first { $0.mountPoint == "/" })
        #expect(root == DiskFreeEntry(
            filesystem: "/dev/mapper/centos-root", type: nil, sizeBytes: 17811456 * 1024, usedBytes: 1805580 * 1024,
            availableBytes: 16005876 * 1024, capacityPercent: 11, mountPoint: "/"
        ))
        #expect(report.entries.filter { !$0.isPseudoFilesystem }.map(\.mountPoint) == ["/", "/boot"])
        #expect(report.entries.filter(\.isPseudoFilesystem).count == 5)
    }

    @Test func snapLoopsAreFullAndPseudo() throws {
        let report = try DiskFree.parse(FixtureLoader.text("df/jc-df-ubuntu1804-snap-loops-full.txt"))
        #expect(report.entries.count == 18)
        let loops = report.entries.filter { $0.filesystem.hasPrefix("/dev/loop") }
        #expect(loops.count == 11)
        #expect(loops.allSatisfy { $0.capacityPercent == 100 && $0.availableBytes == 0 && $0.isPseudoFilesystem })
        let real = report.entries.filter { !$0.isPseudoFilesystem }
        #expect(real.map(\.filesystem) == ["/dev/sda2"])
        #expect(real.first?.sizeBytes == 20508240 * 1024)
        #expect(real.first?.capacityPercent == 30)
    }

    @Test func posixHeaderWithTypeColumnAndLongName() throws {
        let report = try DiskFree.parse(FixtureLoader.text("df/jc-df-PT-long-filesystem-name.txt"))
        #expect(report.warnings.isEmpty)
        #expect(report.entries == [
            DiskFreeEntry(filesystem: "/dev/mapper/VolGroup00-LogVol00", type: "ext3", sizeBytes: 6030784 * 1024,
                          usedBytes: 1147932 * 1024, availableBytes: 4571556 * 1024, capacityPercent: 21, mountPoint: "/"),
            DiskFreeEntry(filesystem: "proc", type: "proc", sizeBytes: 0, usedBytes: 0, availableBytes: 0,
                          capacityPercent: nil, mountPoint: "/proc"),
            DiskFreeEntry(filesystem: "sysfs", type: "sysfs", sizeBytes: 0, usedBytes: 0, availableBytes: 0,
                          capacityPercent: nil, mountPoint: "/sys"),
        ])
        #expect(report.entries.map(\.isPseudoFilesystem) == [false, true, true])
    }

    @Test func humanReadableSizesAreRefused() throws {
        let error = #expect(throws: ParseError.self) {
            try DiskFree.parse(FixtureLoader.text("df/jc-df-h-ubuntu1804.txt"))
        }
        #expect(error?.line == 1)
        #expect(error?.reason.contains("df -h") == true)
        #expect(error?.reason.contains("-B1") == true)
    }

    @Test func mountPointWithSpaces() throws {
        let report = try DiskFree.parse("""
            Filesystem     1B-blocks  Used Available Capacity Mounted on
            /dev/sdb1           1000   500       500      50% /media/My Backup Disk
            """)
        #expect(report.entries.first?.mountPoint == "/media/My Backup Disk")
        #expect(report.entries.first?.sizeBytes == 1000)
    }

    @Test func wrappedFilesystemNameIsJoined() throws {
        let report = try DiskFree.parse("""
            Filesystem           1K-blocks    Used Available Use% Mounted on
            /dev/mapper/very-long-volume-group-name-root
                                  1000       10       990   1% /
            tmpfs                    4        0         4   0% /run
            """)
        #expect(report.warnings.isEmpty)
        #expect(report.entries.map(\.filesystem) == ["/dev/mapper/very-long-volume-group-name-root", "tmpfs"])
        #expect(report.entries.first?.usedBytes == 10240)
    }

    @Test func blockSizeHeaders() {
        #expect(DiskFree.blockSize("1B-blocks") == 1)
        #expect(DiskFree.blockSize("1K-blocks") == 1024)
        #expect(DiskFree.blockSize("1024-blocks") == 1024)
        #expect(DiskFree.blockSize("512-blocks") == 512)
        #expect(DiskFree.blockSize("1M-blocks") == 1024 * 1024)
        #expect(DiskFree.blockSize("1kB-blocks") == 1000)
        #expect(DiskFree.blockSize("Inodes") == nil)
        #expect(DiskFree.blockSize("0-blocks") == nil)
        #expect(DiskFree.blockSize("1Q-blocks") == nil)
    }

    @Test func badRowsBecomeWarnings() throws {
        let report = try DiskFree.parse("""
            Filesystem 1B-blocks Used Available Use% Mounted on
            /dev/sda1 100 200 -100 100% /full
            /dev/sda2 100 50 50 50% /ok
            /dev/sda3 99999999999999999999 1 1 1% /huge
            /dev/sda4 100 50 50 half /odd
            """)
        #expect(report.entries.map(\.mountPoint) == ["/ok"])
        #expect(report.warnings.count == 3)
        #expect(report.warnings.first?.hasPrefix("line 2:") == true)
    }

    @Test func rejectsWhatIsNotDf() throws {
        #expect(throws: ParseError.self) { try DiskFree.parse("") }
        #expect(throws: ParseError.self) { try DiskFree.parse("\n\n") }
        #expect(throws: ParseError.self) { try DiskFree.parse(FixtureLoader.text("mdstat/pymdstat-02-raid5-healthy-bitmap.txt")) }
        let inodes = #expect(throws: ParseError.self) {
            try DiskFree.parse("Filesystem Inodes IUsed IFree IUse% Mounted on\n/dev/sda1 10 1 9 10% /\n")
        }
        #expect(inodes?.reason.contains("Inodes") == true)
    }
}
