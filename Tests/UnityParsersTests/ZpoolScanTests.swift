import Testing
@testable import UnityParsers

/// Scan-line wordings across ZFS generations that the fixtures do not all cover.
@Suite struct ZpoolScanTests {
    static func scan(_ lines: String...) -> ZpoolScan { ZpoolScanParser.parse(lines) }

    @Test func pausedScrubKeepsItsStartTime() {
        let scan = Self.scan("scrub paused since Wed Jan 10 09:00:00 2024",
                             "\tscrub started on Tue Jan  9 00:24:01 2024",
                             "\t1.21T / 3.55T scanned, 900G / 3.55T issued",
                             "\t0B repaired, 24.76% done")
        #expect(scan.operation == .scrub)
        #expect(scan.state == .paused)
        #expect(scan.timestamp?.day == 10)
        #expect(scan.progress?.percentDone == 24.76)
        #expect(scan.progress?.secondsRemaining == nil)
    }

    @Test func openZFS08EstimateWithDays() {
        let scan = Self.scan("resilver in progress since Thu Jan 11 10:00:00 2024",
                             "\t1.74T scanned at 1.23G/s, 620G issued at 440M/s, 3.55T total",
                             "\t12.5G resilvered, 17.06% done, 1 days 01:56:30 to go")
        #expect(scan.operation == .resilver)
        #expect(scan.progress?.issuedBytes == 620 << 30)
        #expect(scan.progress?.secondsRemaining == 86_400 + 3600 + 56 * 60 + 30)
        #expect(scan.repairedBytes == Int(12.5 * Double(1 << 30)))
    }

    @Test func solarisScrubInProgress() {
        let scan = Self.scan("scrub in progress for 0h1m, 12.34% done, 0h5m to go")
        #expect(scan.state == .inProgress)
        #expect(scan.progress == ZpoolScanProgress(percentDone: 12.34, secondsRemaining: 300))
        #expect(scan.durationSeconds == nil)
    }

    @Test func finishedAndCanceledResilvers() {
        let done = Self.scan("resilvered 1.50M in 00:00:02 with 0 errors on Fri Mar  1 12:00:00 2024")
        #expect(done == ZpoolScan(
            operation: .resilver, state: .finished,
            text: "resilvered 1.50M in 00:00:02 with 0 errors on Fri Mar  1 12:00:00 2024",
            repairedBytes: 1_572_864, errors: 0, durationSeconds: 2,
            timestamp: ZpoolTimestamp(year: 2024, month: 3, day: 1, hour: 12, minute: 0, second: 0,
                                      text: "Fri Mar 1 12:00:00 2024")))
        #expect(Self.scan("resilver canceled on Fri Mar  1 12:00:00 2024").state == .canceled)
        #expect(Self.scan("scrub stopped after 0h3m with 0 errors on Tue Feb  2 13:08:42 2010").state == .canceled)
        #expect(Self.scan("resilver completed after 0h0m with 0 errors on Tue Feb  2 13:08:42 2010").state == .finished)
    }

    @Test func unknownWordingIsKeptAsText() {
        let scan = Self.scan("error scrub in the future format")
        #expect(scan.operation == .unknown)
        #expect(scan.text == "error scrub in the future format")
        #expect(Self.scan().operation == .unknown)
    }
}
