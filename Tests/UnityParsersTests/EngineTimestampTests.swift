import Foundation
import Testing
@testable import UnityParsers

/// The hand-written RFC 3339 reader agrees with Foundation's on what engines print, and refuses
/// (never traps on) anything else.
@Suite struct EngineTimestampTests {
    static func foundation(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    @Test(arguments: ["2024-05-01T10:00:00Z", "1999-12-31T23:59:59Z", "2024-02-29T00:00:00Z", "2000-02-29T12:34:56Z",
                      "1970-01-01T00:00:00Z", "2038-01-19T03:14:08Z", "2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00-07:30",
                      "2100-03-01T00:00:00Z"])
    func wholeSecondsMatchFoundation(text: String) throws {
        #expect(EngineTimestamp.parse(text) == Self.foundation(text))
    }

    @Test func fractionsUpToNanoseconds() throws {
        let base = try #require(Self.foundation("2024-05-01T10:00:00Z")).timeIntervalSince1970
        let docker = try #require(EngineTimestamp.parse("2024-05-01T10:00:00.123456789Z")).timeIntervalSince1970
        #expect(abs(docker - (base + 0.123456789)) < 1e-6)
        let podman = try #require(EngineTimestamp.parse("2024-05-01T12:00:00.5+02:00")).timeIntervalSince1970
        #expect(abs(podman - (base + 0.5)) < 1e-6)
    }

    @Test(arguments: [nil, "", "0001-01-01T00:00:00Z", "2024-05-01", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                      "2024-05-01T24:00:00Z", "2024-05-01T10:00:00", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00+0200",
                      "2024-05-01T10:00:00Zjunk", "２０２４-05-01T10:00:00Z", "2024-05-01T10:00:00.\(String(repeating: "1", count: 60))Z",
                      "abcd-ef-ghTij:kl:mnZ"])
    func refusesWhatIsNotRFC3339(text: String?) {
        #expect(EngineTimestamp.parse(text) == nil)
    }
}
