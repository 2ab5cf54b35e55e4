import Testing
@testable import UnityParsers

/// Wordings from older and newer tools than the fixture corpus covers: ZFS on Linux 0.6/0.7 scan
/// lines ("scanned out of"), chunk sizes in any unit and case, mdadm's "(local to host …)" notes.
/// The lines are those versions' printf formats (zfs `print_scan_status`, md `mdstat` seq_printf).
@Suite struct FieldFormatTests {
    @Test func zol06ScrubInProgressHasProgressTotalAndETA() {
        let scan = ZpoolScanParser.parse(["scrub in progress since Sun Jul 25 16:07:49 2010",
                                          "    5.21G scanned out of 17.1G at 1.32M/s, 2h37m to go",
                                          "    0 repaired, 30.39% done"])
        #expect(scan.operation == .scrub && scan.state == .inProgress)
        #expect(scan.progress?.scannedBytes == Int(5.21 * Double(1 << 30)))
        #expect(scan.progress?.totalBytes == Int(17.1 * Double(1 << 30)))
        #expect(scan.progress?.percentDone == 30.39)
        #expect(scan.progress?.secondsRemaining == 2 * 3600 + 37 * 60)
        #expect(scan.repairedBytes == 0)
    }

    @Test func zol07ResilverInProgress() {
        let scan = ZpoolScanParser.parse(["resilver in progress since Mon Jan  8 09:00:00 2018",
                                          "    1.43T scanned out of 3.58T at 211M/s, 2h57m to go",
                                          "    358G resilvered, 39.99% done"])
        #expect(scan.operation == .resilver && scan.state == .inProgress)
        #expect(scan.progress?.totalBytes == Int(3.58 * Double(1 << 40)))
        #expect(scan.progress?.secondsRemaining == 2 * 3600 + 57 * 60)
        #expect(scan.repairedBytes == 358 << 30)
    }

    @Test(arguments: [
        ("scrub repaired 0B in 0h25m with 0 errors on Sun Jan 14 00:24:01 2018", 25 * 60, 0),
        ("scrub repaired 128K in 1 days 03:12:45 with 2 errors on Sat Mar  2 04:12:45 2024", 86_400 + 3 * 3600 + 12 * 60 + 45, 128 << 10),
        ("scrub repaired 0B in 00:01:02 with 0 errors on Sun Jan 14 00:24:01 2024", 62, 0),
    ])
    func finishedScrubDurationsWithAndWithoutDays(line: String, seconds: Int, repaired: Int) {
        let scan = ZpoolScanParser.parse([line])
        #expect(scan.state == .finished)
        #expect(scan.durationSeconds == seconds)
        #expect(scan.repairedBytes == repaired)
    }

    @Test func canceledScrubKeepsItsDate() {
        let scan = ZpoolScanParser.parse(["scrub canceled on Sun Jan 18 12:18:11 2026"])
        #expect(scan.state == .canceled && scan.timestamp?.day == 18)
    }

    @Test(arguments: [("64k", UInt64(64)), ("512K", 512), ("1M", 1024), ("65536KB", 65536), ("4m", 4096), ("128", 128)])
    func chunkSizesInAnyUnitAndCase(token: String, kib: UInt64) {
        #expect(MDChunkSize.kib(Substring(token)) == kib)
    }

    @Test func mdstatChunkWithUppercaseUnit() throws {
        let text = """
        Personalities : [raid10] [raid6]
        md2 : active raid10 sdd1[3] sdc1[2] sdb1[1] sda1[0]
              1953260544 blocks super 1.2 512K chunks 2 near-copies [4/4] [UUUU]

        md3 : active raid6 sdh[3] sdg[2] sdf[1] sde[0]
              5860270080 blocks super 1.2 level 6, 1M chunk, algorithm 2 [4/4] [UUUU]

        unused devices: <none>
        """
        let arrays = try ProcMdstat.parse(text).arrays
        #expect(arrays.map(\.name) == ["md2", "md3"])
        #expect(arrays.map(\.chunkKiB) == [512, 1024])
        #expect(arrays.map(\.level) == ["raid10", "raid6"])
    }

    @Test func mdadmNameAndUUIDLoseTheHostNote() throws {
        let text = """
        /dev/md0:
                   Version : 1.2
                Raid Level : raid5
                Array Size : 1953260544 (1862.77 GiB 2000.14 GB)
              Raid Devices : 3
             Total Devices : 3
                     State : clean
            Active Devices : 3
           Working Devices : 3
            Failed Devices : 0
             Spare Devices : 0
                    Layout : left-symmetric
                Chunk Size : 512K
                      Name : nas:0  (local to host nas)
                      UUID : 3a5e9a34:0b7ac1f2:e1d0c5b8:9d5d4a11
                    Events : 19

            Number   Major   Minor   RaidDevice State
               0       8        1        0      active sync   /dev/sda1
               1       8       17        1      active sync   /dev/sdb1
               3       8       33        2      active sync   /dev/sdc1
        """
        let detail = try MdadmDetail.parse(text)
        #expect(detail.name == "nas:0")
        #expect(detail.uuid == "3a5e9a34:0b7ac1f2:e1d0c5b8:9d5d4a11")
        #expect(detail.chunkSize == "512K" && detail.chunkKiB == 512)
        let old = try MdadmDetail.parse(text.replacingOccurrences(of: "UUID : 3a5e9a34:0b7ac1f2:e1d0c5b8:9d5d4a11",
                                                                    with: "UUID : 3a5e9a34:0b7ac1f2:e1d0c5b8:9d5d4a11 (local to host nas)"))
        #expect(old.uuid == "3a5e9a34:0b7ac1f2:e1d0c5b8:9d5d4a11")
    }
}
