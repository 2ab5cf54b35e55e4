import Foundation
import Testing
@testable import UnityParsers

/// Synthetic outputs written by the Unity team (see Fixtures/SOURCES.md) for states no public
/// capture shows: healthy scrub, ETA, resilver in progress, raidz2 with every section, `-p`.
@Suite struct ZpoolSyntheticTests {
    static func pools(_ name: String) throws -> [ZpoolStatus] {
        try ZpoolStatusParser.parse(FixtureLoader.text("zpool-synthetic/\(name)"))
    }

    @Test func healthyMirrorAfterScrub() throws {
        let pool = try #require(try Self.pools("online-mirror-scrub-repaired.txt").first)
        #expect(pool.state == .online)
        let scan = try #require(pool.scan)
        #expect(scan.operation == .scrub)
        #expect(scan.state == .finished)
        #expect(scan.repairedBytes == 0)
        #expect(scan.durationSeconds == 62)
        #expect(scan.errors == 0)
        #expect(scan.timestamp == ZpoolTimestamp(year: 2024, month: 1, day: 14, hour: 0, minute: 24, second: 1,
                                                 text: "Sun Jan 14 00:24:01 2024"))
        var utc = try #require(TimeZone(identifier: "UTC"))
        #expect(scan.timestamp?.date(in: utc) == Date(timeIntervalSince1970: 1_705_191_841))
        utc = try #require(TimeZone(secondsFromGMT: 3600))
        #expect(scan.timestamp?.date(in: utc) == Date(timeIntervalSince1970: 1_705_191_841 - 3600))
        #expect(pool.root?.children.first?.kind == .mirror)
        #expect(pool.unhealthyDevices.isEmpty)
        #expect(pool.errors?.hasDataErrors == false)
    }

    @Test func scrubInProgressWithEstimateOpenZFS21Format() throws {
        let scan = try #require(try Self.pools("scrub-in-progress-eta-openzfs21.txt").first?.scan)
        #expect(scan.state == .inProgress)
        #expect(scan.timestamp?.text == "Sun Mar 3 00:24:01 2024")
        #expect(scan.progress == ZpoolScanProgress(
            scannedBytes: Int(1.21 * Double(1 << 40)), issuedBytes: 900 << 30, totalBytes: Int(3.55 * Double(1 << 40)),
            percentDone: 24.76, secondsRemaining: 3600 + 48))
        #expect(scan.repairedBytes == 0)
    }

    @Test func resilverInProgressWithReplacingVdev() throws {
        let pool = try #require(try Self.pools("resilver-in-progress-replacing.txt").first)
        #expect(pool.state == .degraded)
        #expect(pool.action == "Wait for the resilver to complete.")
        let scan = try #require(pool.scan)
        #expect(scan.operation == .resilver)
        #expect(scan.state == .inProgress)
        #expect(scan.repairedBytes == 258 << 30)
        #expect(scan.progress?.percentDone == 27.69)
        #expect(scan.progress?.secondsRemaining == 3600 + 21 * 60 + 24)
        #expect(scan.progress?.totalBytes == Int(3.64 * Double(1 << 40)))
        let raidz = try #require(pool.root?.children.first)
        #expect(raidz.kind == .raidz1)
        #expect(raidz.children.map(\.name) == ["sda", "sdb", "replacing-2", "sde"])
        let replacing = try #require(raidz.children.first { $0.kind == .replacing })
        #expect(replacing.children.map(\.name) == ["13283147155937439322", "sdd"])
        #expect(replacing.children.first?.previousPath == "/dev/sdc1")
        #expect(replacing.children.last?.isResilvering == true)
        #expect(replacing.children.last?.note == "(resilvering)")
        #expect(pool.unhealthyDevices.map(\.name) == ["13283147155937439322"])
    }

    @Test func raidz2WithEverySectionAndTwoPools() throws {
        let pools = try Self.pools("raidz2-spares-logs-cache-special-two-pools.txt")
        #expect(pools.map(\.name) == ["backup", "rpool"])
        let backup = try #require(pools.first)
        #expect(backup.scan?.operation == .resilver)
        #expect(backup.scan?.state == .finished)
        #expect(backup.scan?.repairedBytes == Int(1.21 * Double(1 << 40)))
        #expect(backup.scan?.durationSeconds == 86_400 + 3 * 3600 + 12 * 60 + 45)  // "1 days 03:12:45"
        let raidz = try #require(backup.root?.children.first)
        #expect(raidz.kind == .raidz2)
        #expect(raidz.children.count == 6)
        #expect(raidz.children[2].checksumErrors == 12)
        let spare = try #require(raidz.children.first { $0.kind == .spare })
        let faulted = try #require(spare.children.first)
        #expect(faulted.state == .faulted)
        #expect(faulted.readErrors == 1228)  // "1.2K", 1024-based
        #expect(faulted.writeErrors == 345)
        #expect(faulted.checksumErrors == Int(2.5 * 1024 * 1024))
        #expect(faulted.note == "too many errors")
        #expect(backup.special.map(\.kind) == [.mirror])
        #expect(backup.special.first?.children.map(\.name) == ["nvme2n1", "nvme3n1"])
        #expect(backup.logs.first?.children.map(\.name) == ["nvme0n1p1", "nvme1n1p1"])
        #expect(backup.cache.map(\.name) == ["nvme0n1p2", "nvme1n1p2"])
        #expect(backup.spares == [ZpoolVdev(name: "sdh", state: .inUse, note: "currently in use"),
                                  ZpoolVdev(name: "sdi", state: .avail)])
        #expect(backup.unhealthyDevices.map(\.name) == ["sde", "sdh"])  // faulted disk, and the spare now in use
        #expect(backup.allDevices.count == 15)
        let rpool = try #require(pools.last)
        #expect(rpool.state == .online)
        #expect(rpool.root?.children == [ZpoolVdev(name: "nvme0n1p3", state: .online, readErrors: 0, writeErrors: 0, checksumErrors: 0)])
        #expect(rpool.scan?.durationSeconds == 192)
    }

    @Test func exactCountersFromStatusP() throws {
        let pool = try #require(try Self.pools("status-p-exact-counters.txt").first)
        let faulted = try #require(pool.root?.children.first?.children.last)
        #expect(faulted.name == "sdb")
        #expect(faulted.readErrors == 1234)
        #expect(faulted.writeErrors == 345)
        #expect(faulted.checksumErrors == 2_621_440)
        #expect(faulted.totalErrors == 1234 + 345 + 2_621_440)
        #expect(faulted.note == "too many errors")
    }

    @Test func noPoolsAvailableIsAnEmptyList() throws {
        #expect(try Self.pools("no-pools-available.txt").isEmpty)
        #expect(try ZpoolStatusParser.parse("").isEmpty)
        #expect(try ZpoolStatusParser.parse("\n\n").isEmpty)
        #expect(try ZpoolStatusParser.parse("all pools are healthy\n").isEmpty)
    }

    @Test func everySyntheticFixtureIsUsed() throws {
        let files = try FixtureLoader.files(in: "zpool-synthetic")
        #expect(files.count == 7)
        for file in files where !file.hasSuffix("zpool-list-Hp.txt") {
            _ = try ZpoolStatusParser.parse(FixtureLoader.text(file))
        }
    }
}
