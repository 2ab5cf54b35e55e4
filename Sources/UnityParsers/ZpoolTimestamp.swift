import Foundation

/// A `ctime`-style date printed by `zpool status`, e.g. "Sun Jan 14 00:24:01 2024".
///
/// zpool prints it in the *host's* local time zone without naming the zone, so the parser keeps
/// the components as printed instead of guessing an instant; `date(in:)` turns them into a `Date`
/// once the caller knows the host's zone.
public struct ZpoolTimestamp: Sendable, Equatable, Hashable, Codable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// The text as printed, for display.
    public var text: String

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, text: String) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.text = text
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses "Www Mmm dd hh:mm:ss yyyy" (day may be space-padded); `nil` for anything else.
    public static func parse(_ text: String) -> ZpoolTimestamp? {
        let tokens = text.split(whereSeparator: \.isWhitespace)
        guard tokens.count == 5,
              let monthIndex = months.firstIndex(where: { $0 == tokens[1] }),
              let day = ZpoolNumbers.unsignedInteger(tokens[2]), (1...31).contains(day),
              let year = ZpoolNumbers.unsignedInteger(tokens[4]), (1970...9999).contains(year)
        else { return nil }
        let clock = tokens[3].split(separator: ":", omittingEmptySubsequences: false).map(ZpoolNumbers.unsignedInteger)
        guard clock.count == 3, let hour = clock[0], let minute = clock[1], let second = clock[2],
              hour < 24, minute < 60, second <= 60
        else { return nil }
        return ZpoolTimestamp(
            year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second,
            text: tokens.joined(separator: " "))
    }

    /// The instant these components denote in `timeZone` (the zpool host's zone).
    public func date(in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components)
    }
}
