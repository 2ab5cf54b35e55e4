import Foundation

/// A day of the week as ISO 8601 numbers it (Monday 1 … Sunday 7), written `mon` … `sun`.
public enum Weekday: String, Sendable, Codable, CaseIterable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    public var isoNumber: Int { Self.allCases.firstIndex(of: self)! + 1 }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.isoNumber < rhs.isoNumber }

    /// From Foundation's Gregorian weekday (Sunday 1 … Saturday 7).
    static func fromGregorian(_ value: Int) -> Weekday { allCases[(value + 5) % 7] }
}

/// A bad policy value, named by the API's snake_case field so the HTTP edge can answer 422 with it.
public struct PolicyValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) { self.field = field; self.message = message }
    public var description: String { "\(field): \(message)" }
}

/// A maintenance window: a local start time, a duration, an IANA time zone and the weekdays on which
/// it opens. Never a cron mask: "02:30 for 2 h on Sat/Sun in Europe/Berlin" is what people mean, and
/// the instants are computed from it for each day.
///
/// Daylight-saving rule (RFC 5545 §3.3.5, the iCalendar rule calendars already follow):
/// * a start time that does not exist that day (the spring-forward gap, e.g. 02:30 in Berlin on the
///   last Sunday of March) is read with the offset from before the gap, so the window opens at the
///   same elapsed time after midnight: 03:30 local (01:30 UTC);
/// * a start time that occurs twice (the repeated hour in autumn) means its first occurrence (the
///   daylight-saving one), so the window opens once, not twice;
/// * the duration is elapsed time: a 2-hour window is 2 hours long even across a transition;
/// * the weekday is that of the local date on which the window starts.
public struct MaintenanceWindow: Sendable, Codable, Equatable {
    /// Local start, minutes after midnight (0 … 1439).
    public var startMinute: Int
    /// 1 minute … 7 days.
    public var durationMinutes: Int
    /// IANA name, e.g. `Europe/Berlin`.
    public var timeZone: String
    /// Days on which the window starts; never empty.
    public var weekdays: [Weekday]

    public static let maxDurationMinutes = 7 * 24 * 60

    public init(startMinute: Int, durationMinutes: Int, timeZone: String, weekdays: [Weekday]) {
        self.startMinute = startMinute
        self.durationMinutes = durationMinutes
        self.timeZone = timeZone
        self.weekdays = Array(Set(weekdays)).sorted()
    }

    /// `"02:30"` → 150; nil for anything but `HH:MM` on a 24-hour clock.
    public static func parseStart(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// `150` → `"02:30"`.
    public var startText: String { String(format: "%02d:%02d", startMinute / 60, startMinute % 60) }

    /// Checks every value; `fieldPrefix` is the window's path in the request (`windows[0]`).
    public func validate(fieldPrefix: String) throws {
        guard (0..<1440).contains(startMinute) else {
            throw PolicyValidationError(field: "\(fieldPrefix).start", message: "must be HH:MM between 00:00 and 23:59")
        }
        guard (1...Self.maxDurationMinutes).contains(durationMinutes) else {
            throw PolicyValidationError(field: "\(fieldPrefix).duration_minutes", message: "must be between 1 and \(Self.maxDurationMinutes)")
        }
        guard Self.zone(timeZone) != nil else {
            throw PolicyValidationError(field: "\(fieldPrefix).time_zone", message: "must be an IANA time zone such as Europe/Berlin")
        }
        guard !weekdays.isEmpty else {
            throw PolicyValidationError(field: "\(fieldPrefix).weekdays", message: "must name at least one day (mon … sun)")
        }
    }

    /// An IANA zone only: abbreviations (`CET`, `EST`) and offsets are refused because their meaning
    /// differs between systems; `UTC` is allowed.
    public static func zone(_ identifier: String) -> TimeZone? {
        guard identifier == "UTC" || (identifier.contains("/") && knownZones.contains(identifier)) else { return nil }
        return TimeZone(identifier: identifier)
    }

    /// Read once: the list comes from the system's zoneinfo.
    private static let knownZones = Set(TimeZone.knownTimeZoneIdentifiers)

    /// The occurrence open at `now` (start ≤ now < end), if any.
    public func occurrence(containing now: Date) -> DateInterval? {
        guard let zone = Self.zone(timeZone) else { return nil }
        // A window opened on any of the last 8 local days may still be open (durations ≤ 7 days).
        let reach = durationMinutes / 1440 + 1
        return starts(in: zone, around: now, days: -reach...0)
            .map { DateInterval(start: $0, duration: TimeInterval(durationMinutes * 60)) }
            .filter { $0.start <= now && now < $0.end }
            .min { $0.start < $1.start }
    }

    public func isOpen(at now: Date) -> Bool { occurrence(containing: now) != nil }

    /// The occurrence open now, else the next one to open.
    public func nextOccurrence(after now: Date) -> DateInterval? {
        if let open = occurrence(containing: now) { return open }
        guard let zone = Self.zone(timeZone) else { return nil }
        return starts(in: zone, around: now, days: 0...8)
            .filter { $0 > now }
            .min()
            .map { DateInterval(start: $0, duration: TimeInterval(durationMinutes * 60)) }
    }

    /// Start instants on the local days `days` relative to `now`'s local date whose weekday is chosen.
    private func starts(in zone: TimeZone, around now: Date, days: ClosedRange<Int>) -> [Date] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        guard let year = today.year, let month = today.month, let day = today.day else { return [] }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        // Local dates are walked as plain dates (noon UTC of that date), independent of any offset.
        guard let base = utc.date(from: DateComponents(year: year, month: month, day: day, hour: 12)) else { return [] }
        return days.compactMap { offset -> Date? in
            guard let noon = utc.date(byAdding: .day, value: offset, to: base) else { return nil }
            let weekday = Weekday.fromGregorian(utc.component(.weekday, from: noon))
            guard weekdays.contains(weekday) else { return nil }
            let midnight = noon.timeIntervalSince1970 - 12 * 3600
            return Self.instant(localSeconds: midnight + Double(startMinute * 60), in: zone)
        }
    }

    /// The instant of a local wall-clock time given as seconds since 1970 *as if it were UTC*,
    /// by RFC 5545's rule (see the type's comment).
    static func instant(localSeconds wall: TimeInterval, in zone: TimeZone) -> Date {
        // Offsets in force half a day before and after: at most one transition lies between them.
        let before = TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall - 12 * 3600)))
        let after = TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall + 12 * 3600)))
        let valid = [wall - before, wall - after].filter { candidate in
            TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: candidate))) == wall - candidate
        }
        // Repeated hour: the earlier instant. Gap: none is valid; the offset from before the gap.
        return Date(timeIntervalSince1970: valid.min() ?? (wall - before))
    }
}

/// The windows of one policy: no window means "any time"; several mean "any of them".
public struct MaintenanceSchedule: Sendable, Equatable {
    public var windows: [MaintenanceWindow]
    public init(_ windows: [MaintenanceWindow]) { self.windows = windows }

    public var isAlwaysOpen: Bool { windows.isEmpty }

    public func isOpen(at now: Date) -> Bool { windows.isEmpty || windows.contains { $0.isOpen(at: now) } }

    /// The open or next occurrence among all windows (the earliest start); nil when there are none.
    public func nextOccurrence(after now: Date) -> DateInterval? {
        windows.compactMap { $0.nextOccurrence(after: now) }.min { $0.start < $1.start }
    }
}
