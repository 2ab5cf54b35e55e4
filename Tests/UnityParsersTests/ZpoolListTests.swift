import Testing
@testable import UnityParsers

@Suite struct ZpoolListTests {
    @Test func parsesExactBytesAndDashColumns() throws {
        let entries = try ZpoolListParser.parse(FixtureLoader.text("zpool-synthetic/zpool-list-Hp.txt"))
        #expect(entries.map(\.name) == ["tank", "backup", "rpool", "usb"])
        #expect(entries.first == ZpoolListEntry(
            name: "tank", sizeBytes: 3_985_729_650_688, allocatedBytes: 1_621_588_475_904, freeBytes: 2_364_141_174_784,
            checkpointBytes: nil, expandSizeBytes: nil, fragmentationPercent: 3, capacityPercent: 40, dedupRatio: 1.0,
            health: .online, altroot: nil))
        #expect(entries[1].health == .degraded)
        #expect(entries[1].capacityPercent == 75)
        let usb = try #require(entries.last)
        #expect(usb.checkpointBytes == 1_073_741_824)
        #expect(usb.expandSizeBytes == 536_870_912)
        #expect(usb.fragmentationPercent == nil)
        #expect(usb.dedupRatio == 1.05)
        #expect(usb.altroot == "/mnt/usb")
        #expect(entries.allSatisfy { $0.sizeBytes == $0.allocatedBytes + $0.freeBytes })
    }

    @Test func acceptsHumanReadableAndLegacyTenColumnLines() throws {
        let entries = try ZpoolListParser.parse("tank\t3.62T\t1.47T\t2.15T\t-\t3%\t40%\t1.00x\tONLINE\t-\n")
        #expect(entries.first?.sizeBytes == Int(3.62 * Double(1 << 40)))
        #expect(entries.first?.capacityPercent == 40)
        #expect(entries.first?.dedupRatio == 1.0)
        #expect(entries.first?.checkpointBytes == nil)
    }

    @Test func emptyOutputMeansNoPools() throws {
        #expect(try ZpoolListParser.parse("").isEmpty)
        #expect(try ZpoolListParser.parse("no pools available\n").isEmpty)
    }

    @Test(arguments: [
        "garbage",
        "tank\t1\t2\t3",
        "tank\tbig\t1\t2\t-\t-\t3\t40\t1.00\tONLINE\t-",
        "tank\t-1\t1\t2\t-\t-\t3\t40\t1.00\tONLINE\t-",
        "tank\t99999999999999999999\t1\t2\t-\t-\t3\t40\t1.00\tONLINE\t-",
        "\t1\t1\t2\t-\t-\t3\t40\t1.00\tONLINE\t-",
        "tank\t1\t1\t2\t-\t-\t3\t40\t1.00\tonline?\t-",
    ])
    func rejectsMalformedLines(_ line: String) {
        #expect(throws: ParseError.self) { try ZpoolListParser.parse(line) }
    }

    @Test func errorNamesTheLine() {
        #expect(throws: ParseError(source: "zpool list -Hp", line: 2, reason: "expected 11 columns, found 2")) {
            try ZpoolListParser.parse("tank\t1\t1\t0\t-\t-\t0\t100\t1.00\tONLINE\t-\nbroken\tline\n")
        }
    }
}
