import Testing
@testable import UnityParsers

@Suite struct ZpoolNumbersTests {
    @Test(arguments: [
        ("0", 0), ("1234", 1234), ("0B", 0), ("1.2K", 1228), ("704G", 704 << 30), ("1.5M", 1_572_864),
        ("2E", 2 << 60),
    ] as [(String, Int)])
    func decodesSizes(_ text: String, _ expected: Int) {
        #expect(ZpoolNumbers.size(text) == expected)
    }

    @Test(arguments: ["", "-", "-1", "+1", "1.2.3K", "nanK", "infK", "1e9", "8E", "99999999999999999999", "12Q", ".", ".K", " 1"])
    func rejectsNonSizes(_ text: String) {
        #expect(ZpoolNumbers.size(text) == nil)
    }

    @Test(arguments: [
        ("00:01:02", 62), ("1 days 02:03:04", 93_784), ("0 days 00:00:01", 1), ("14h7m", 50_820), ("0h0m", 0),
        ("1h2m3s", 3_723), ("03:04", 184),
    ] as [(String, Int)])
    func decodesDurations(_ text: String, _ expected: Int) {
        #expect(ZpoolNumbers.durationSeconds(text) == expected)
    }

    @Test(arguments: ["", "<snip>", "1:2:3:4", "99999999999999999999 days 00:00:00", "9223372036854775807:00:00", "h", "5", "1x"])
    func rejectsNonDurations(_ text: String) {
        #expect(ZpoolNumbers.durationSeconds(text) == nil)
    }

    @Test func timestampsValidateTheirComponents() {
        #expect(ZpoolTimestamp.parse("Tue Feb  2 13:08:42 2010")?.month == 2)
        #expect(ZpoolTimestamp.parse("Tue Foo  2 13:08:42 2010") == nil)
        #expect(ZpoolTimestamp.parse("Tue Feb 32 13:08:42 2010") == nil)
        #expect(ZpoolTimestamp.parse("Tue Feb  2 25:08:42 2010") == nil)
        #expect(ZpoolTimestamp.parse("Tue Feb  2 13:08 2010") == nil)
        #expect(ZpoolTimestamp.parse("Tue Feb  2 13:08:42") == nil)
    }
}
