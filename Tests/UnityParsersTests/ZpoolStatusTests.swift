import Testing
@testable import UnityParsers

/// One test per real `zpool status` capture, asserting the state it shows.
@Suite struct ZpoolStatusTests {
    /// The exporter captures start with a `TEST_TIMESTAMP=` line added by that project's test
    /// harness (see SOURCES.md); it is not zpool output, so it is removed before parsing.
    static func text(_ path: String) throws -> String {
        let raw = try FixtureLoader.text(path)
        guard raw.hasPrefix("TEST_TIMESTAMP="), let newline = raw.firstIndex(of: "\n") else { return raw }
        return String(raw[raw.index(after: newline)...])
    }

    static func pool(_ name: String) throws -> ZpoolStatus {
        let pools = try ZpoolStatusParser.parse(text("zpool-status/\(name)"))
        #expect(pools.count == 1)
        return try #require(pools.first)
    }

    static func vdev(_ name: String, state: ZpoolState, _ children: [ZpoolVdev] = [], note: String? = nil,
                     errors: (Int, Int, Int) = (0, 0, 0)) -> ZpoolVdev {
        ZpoolVdev(name: name, state: state, readErrors: errors.0, writeErrors: errors.1, checksumErrors: errors.2,
                  note: note, children: children)
    }

    @Test func degradedMirrorWithUnavailMember() throws {
        let pool = try Self.pool("exporter-01-degraded-mirror-unavail-corrupted-data.txt")
        #expect(pool.name == "dummy")
        #expect(pool.state == .degraded)
        #expect(pool.status == "One or more devices could not be used because the label is missing or invalid.  Sufficient replicas exist for the pool to continue functioning in a degraded state.")
        #expect(pool.action == "Replace the device using 'zpool replace'.")
        #expect(pool.see == "https://openzfs.github.io/openzfs-docs/msg/ZFS-8000-4J")
        #expect(pool.scan?.operation == .scrub)
        #expect(pool.scan?.state == .finished)
        #expect(pool.scan?.repairedBytes == 0)
        #expect(pool.scan?.durationSeconds == 0)
        #expect(pool.scan?.errors == 0)
        #expect(pool.scan?.timestamp == ZpoolTimestamp(year: 2024, month: 2, day: 10, hour: 20, minute: 34, second: 42,
                                                       text: "Sat Feb 10 20:34:42 2024"))
        #expect(pool.root == Self.vdev("dummy", state: .degraded, [
            Self.vdev("mirror-0", state: .online, [Self.vdev("loop0", state: .online), Self.vdev("loop1", state: .online)]),
            Self.vdev("mirror-1", state: .degraded, [
                Self.vdev("loop2", state: .online), Self.vdev("loop3", state: .unavail, note: "corrupted data"),
            ]),
        ]))
        #expect(pool.root?.children.map(\.kind) == [.mirror, .mirror])
        #expect(pool.unhealthyDevices.map(\.name) == ["loop3"])
        #expect(pool.errors == nil)  // this capture has no errors: line
    }

    @Test func onlinePoolWithPermanentDataErrors() throws {
        let pool = try Self.pool("exporter-02-online-permanent-data-errors.txt")
        #expect(pool.name == "jeremy")
        #expect(pool.state == .online)
        #expect(pool.status == "One or more devices has experienced an error resulting in data corruption.  Applications may be affected.")
        #expect(pool.see == "http://zfsonlinux.org/msg/ZFS-8000-8A")
        #expect(pool.scan?.repairedBytes == 0)
        #expect(pool.scan?.durationSeconds == 14 * 3600 + 7 * 60)  // "14h7m"
        #expect(pool.scan?.errors == 1)
        #expect(pool.scan?.timestamp?.text == "Sun Feb 4 20:54:25 2024")
        #expect(pool.scan?.timestamp?.day == 4)
        #expect(pool.errors == ZpoolErrors(dataErrorCount: 1, messages: ["List of errors unavailable: permission denied"]))
        #expect(pool.errors?.hasDataErrors == true)
        #expect(pool.unhealthyDevices.isEmpty)
        #expect(pool.allDevices.map(\.name) == ["ata-ST8000DM004-2CX188_ZCT0ZR05-part1", "ata-ST8000VN004-2M2101_WKD02XPR-part1"])
    }

    @Test func scrubInProgressWithoutEstimate() throws {
        let pool = try Self.pool("exporter-04-scrub-in-progress.txt")
        #expect(pool.name == "neptune")
        let scan = try #require(pool.scan)
        #expect(scan.operation == .scrub)
        #expect(scan.state == .inProgress)
        #expect(scan.timestamp?.text == "Sun Feb 11 11:54:20 2024")
        #expect(scan.repairedBytes == 0)
        #expect(scan.durationSeconds == nil)
        #expect(scan.progress == ZpoolScanProgress(
            scannedBytes: 704 << 30, issuedBytes: 0, totalBytes: Int(1.66 * Double(1 << 40)),
            percentDone: 0, secondsRemaining: nil))
        #expect(scan.text.hasSuffix("0B repaired, 0.00% done, no estimated completion time"))
        #expect(pool.errors == ZpoolErrors(noKnownDataErrors: true))
    }

    @Test func degradedMirrorWithRemovedDevice() throws {
        let pool = try Self.pool("exporter-06-degraded-device-removed.txt")
        #expect(pool.state == .degraded)
        #expect(pool.status == "One or more devices has been removed by the administrator. Sufficient replicas exist for the pool to continue functioning in a degraded state.")
        #expect(pool.scan?.durationSeconds == 10 * 3600 + 42 * 60 + 32)
        #expect(pool.root?.children.first?.state == .degraded)
        #expect(pool.unhealthyDevices.map(\.name) == ["drive0-part1"])
        #expect(pool.unhealthyDevices.first?.state == .removed)
    }

    @Test func unavailMemberShownByGUIDWithChecksumErrors() throws {
        let pool = try Self.pool("exporter-07-degraded-unavail-checksum-errors.txt")
        #expect(pool.name == "mypool")
        #expect(pool.state == .degraded)
        let mirror = try #require(pool.root?.children.first)
        #expect(mirror.children.count == 3)  // 3-way mirror
        let missing = try #require(mirror.children.first)
        #expect(missing.name == "12345678901234567890")
        #expect(missing.state == .unavail)
        #expect(missing.checksumErrors == 100_980)
        #expect(missing.readErrors == 0)
        #expect(missing.note == "was /dev/disk/by-id/ata-ST8000DM004-xxxxxx_redacted-part1")
        #expect(missing.previousPath == "/dev/disk/by-id/ata-ST8000DM004-xxxxxx_redacted-part1")
        #expect(pool.scan?.durationSeconds == 8 * 3600 + 37 * 60 + 48)
        #expect(pool.errors?.noKnownDataErrors == true)
    }

    @Test func scrubCanceledWithFeaturesAvailable() throws {
        let pool = try Self.pool("exporter-09-scrub-canceled-features-available.txt")
        #expect(pool.state == .online)
        #expect(pool.status == "Some supported and requested features are not enabled on the pool. The pool can still be used, but some features are unavailable.")
        #expect(pool.action == "Enable all features using 'zpool upgrade'. Once this is done, the pool may no longer be accessible by software that does not support the features. See zpool-features(7) for details.")
        #expect(pool.scan == ZpoolScan(
            operation: .scrub, state: .canceled, text: "scrub canceled on Sun Jan 18 12:18:11 2026",
            timestamp: ZpoolTimestamp(year: 2026, month: 1, day: 18, hour: 12, minute: 18, second: 11,
                                      text: "Sun Jan 18 12:18:11 2026")))
    }

    @Test func newPoolNeverScrubbedHasNoScanLine() throws {
        let pool = try Self.pool("exporter-10-new-pool-never-scrubbed.txt")
        #expect(pool.name == "milton")
        #expect(pool.state == .online)
        #expect(pool.scan == nil)
        #expect(pool.status == nil)
        #expect(pool.allDevices.count == 2)
        #expect(pool.errors == ZpoolErrors(noKnownDataErrors: true))
    }

    @Test func solarisDegradedMirrorWithScrubNoneRequested() throws {
        let pool = try Self.pool("jc-degraded-mirror-cannot-open-solaris.txt")
        #expect(pool.state == .degraded)
        #expect(pool.see == "http://www.sun.com/msg/ZFS-8000-2Q")
        #expect(pool.scan == ZpoolScan(operation: .none, state: .noneRequested, text: "none requested"))
        #expect(pool.root == Self.vdev("tank", state: .degraded, [
            Self.vdev("mirror-0", state: .degraded, [
                Self.vdev("c1t0d0", state: .online), Self.vdev("c1t1d0", state: .unavail, note: "cannot open"),
            ]),
        ]))
    }

    @Test func unavailPoolWithIOFailuresAndPermanentErrorFiles() throws {
        let pool = try Self.pool("jc-unavail-io-failures-permanent-errors.txt")
        #expect(pool.state == .unavail)
        #expect(pool.scan?.operation == .scrub)
        #expect(pool.scan?.state == .finished)
        #expect(pool.scan?.durationSeconds == 0)
        #expect(pool.scan?.errors == 0)
        #expect(pool.scan?.timestamp?.year == 2010)
        #expect(pool.root == Self.vdev("tank", state: .unavail, [
            Self.vdev("c1t0d0", state: .online),
            Self.vdev("c1t1d0", state: .unavail, note: "cannot open", errors: (4, 1, 0)),
        ], note: "insufficient replicas"))
        #expect(pool.errors == ZpoolErrors(permanentErrorsDetected: true,
                                           affectedFiles: ["/tank/data/aaa", "/tank/data/bbb", "/tank/data/ccc"]))
        #expect(pool.errors?.hasDataErrors == true)
    }

    @Test func fourMirrorsWithAvailableSpare() throws {
        let pool = try Self.pool("jc-mirrors-with-spares.txt")
        #expect(pool.state == .online)
        #expect(pool.root?.children.map(\.name) == ["mirror-0", "mirror-1", "mirror-2", "mirror-3"])
        #expect(pool.root?.children.allSatisfy { $0.children.count == 2 } == true)
        #expect(pool.spares == [ZpoolVdev(name: "sdf", state: .avail)])
        #expect(pool.scan?.repairedBytes == 0)
        #expect(pool.scan?.durationSeconds == nil)  // the source abbreviated the line with "<snip>"
        #expect(pool.unhealthyDevices.isEmpty)
        #expect(pool.allDevices.count == 9)
    }

    @Test func everyRealZpoolFixtureParses() throws {
        let files = try FixtureLoader.files(in: "zpool-status")
        #expect(files.count == 10)
        for file in files {
            #expect(try ZpoolStatusParser.parse(Self.text(file)).count == 1)
        }
    }

    @Test func harnessHeaderBeforeThePoolIsIgnored() throws {
        let raw = try FixtureLoader.text("zpool-status/exporter-06-degraded-device-removed.txt")
        #expect(try ZpoolStatusParser.parse(raw) == ZpoolStatusParser.parse(Self.text("zpool-status/exporter-06-degraded-device-removed.txt")))
    }
}
