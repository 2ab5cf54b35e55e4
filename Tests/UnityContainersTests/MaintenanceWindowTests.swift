import Foundation
import Testing
@testable import UnityContainers

/// Maintenance windows across the 2026 daylight-saving changes of Europe/Berlin (29 March 02:00 →
/// 03:00, 25 October 03:00 → 02:00) and America/New_York (8 March 02:00 → 03:00, 1 November 02:00 →
/// 01:00), by RFC 5545's rule: a start in the gap moves forward by the gap, a repeated start means
/// its first occurrence, durations are elapsed time.
@Suite struct MaintenanceWindowTests {
    static func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    static func window(_ start: String, minutes: Int = 60, _ zone: String, _ days: [Weekday]) -> MaintenanceWindow {
        MaintenanceWindow(startMinute: MaintenanceWindow.parseStart(start)!, durationMinutes: minutes, timeZone: zone, weekdays: days)
    }

    @Test func berlinOrdinaryWinterAndSummerDays() {
        let window = Self.window("02:30", "Europe/Berlin", [.sat, .sun])
        // Saturday 28 March is still CET (+1).
        #expect(window.nextOccurrence(after: Self.utc("2026-03-27T12:00:00Z"))?.start == Self.utc("2026-03-28T01:30:00Z"))
        // Saturday 4 April is CEST (+2).
        #expect(window.nextOccurrence(after: Self.utc("2026-04-03T12:00:00Z"))?.start == Self.utc("2026-04-04T00:30:00Z"))
    }

    @Test func berlinSpringForwardGapOpensAfterTheGap() {
        // 02:30 does not exist on 29 March: the window opens at 03:30 CEST = 01:30 UTC, for an hour.
        let window = Self.window("02:30", "Europe/Berlin", [.sun])
        let next = window.nextOccurrence(after: Self.utc("2026-03-28T12:00:00Z"))
        #expect(next?.start == Self.utc("2026-03-29T01:30:00Z"))
        #expect(next?.end == Self.utc("2026-03-29T02:30:00Z"))
        #expect(!window.isOpen(at: Self.utc("2026-03-29T01:29:00Z")))
        #expect(window.isOpen(at: Self.utc("2026-03-29T01:30:00Z")))
        #expect(!window.isOpen(at: Self.utc("2026-03-29T02:30:00Z")))
    }

    @Test func berlinAutumnRepeatedHourOpensOnce() {
        // 02:30 happens twice on 25 October: first at 02:30 CEST (00:30 UTC), again at 02:30 CET (01:30 UTC).
        let window = Self.window("02:30", "Europe/Berlin", [.sun])
        #expect(window.nextOccurrence(after: Self.utc("2026-10-24T12:00:00Z"))?.start == Self.utc("2026-10-25T00:30:00Z"))
        #expect(window.isOpen(at: Self.utc("2026-10-25T01:15:00Z")))
        // The second 02:30 (CET) is not a second opening.
        #expect(!window.isOpen(at: Self.utc("2026-10-25T01:45:00Z")))
        #expect(window.nextOccurrence(after: Self.utc("2026-10-25T01:31:00Z"))?.start == Self.utc("2026-11-01T01:30:00Z"))
    }

    @Test func durationIsElapsedTimeAcrossTheChange() {
        // 01:00 CET + 3 h on the spring-forward night ends at 05:00 CEST (03:00 UTC), not 04:00.
        let window = Self.window("01:00", minutes: 180, "Europe/Berlin", [.sun])
        let next = window.nextOccurrence(after: Self.utc("2026-03-28T12:00:00Z"))
        #expect(next?.start == Self.utc("2026-03-29T00:00:00Z"))
        #expect(next?.end == Self.utc("2026-03-29T03:00:00Z"))
    }

    @Test func newYorkSpringForwardAndFallBack() {
        let gap = Self.window("02:30", "America/New_York", [.sun])
        // 02:30 does not exist on 8 March: 03:30 EDT = 07:30 UTC.
        #expect(gap.nextOccurrence(after: Self.utc("2026-03-07T12:00:00Z"))?.start == Self.utc("2026-03-08T07:30:00Z"))
        // The week before is EST (−5).
        #expect(gap.nextOccurrence(after: Self.utc("2026-02-28T12:00:00Z"))?.start == Self.utc("2026-03-01T07:30:00Z"))

        let repeated = Self.window("01:30", "America/New_York", [.sun])
        // 01:30 happens twice on 1 November: first as EDT (05:30 UTC).
        #expect(repeated.nextOccurrence(after: Self.utc("2026-10-31T12:00:00Z"))?.start == Self.utc("2026-11-01T05:30:00Z"))
        #expect(repeated.isOpen(at: Self.utc("2026-11-01T06:15:00Z")))
        #expect(!repeated.isOpen(at: Self.utc("2026-11-01T06:45:00Z")), "01:45 EST, the second pass, is past the window")
        #expect(repeated.nextOccurrence(after: Self.utc("2026-11-01T07:00:00Z"))?.start == Self.utc("2026-11-08T06:30:00Z"))
    }

    @Test func weekdayIsTheLocalStartDayAndWindowsCrossMidnight() {
        // Friday 23:00 for 3 h in New York: open on Saturday 01:00 local (06:00 UTC), Friday's window.
        let window = Self.window("23:00", minutes: 180, "America/New_York", [.fri])
        #expect(window.isOpen(at: Self.utc("2026-06-13T04:00:00Z")), "Saturday 00:00 EDT")
        #expect(window.occurrence(containing: Self.utc("2026-06-13T04:00:00Z"))?.start == Self.utc("2026-06-13T03:00:00Z"))
        #expect(!window.isOpen(at: Self.utc("2026-06-13T06:00:00Z")), "Saturday 02:00 EDT, three hours later")
        // In UTC it is already Saturday when the window opens; the local day decides.
        #expect(!Self.window("23:00", "America/New_York", [.sat]).isOpen(at: Self.utc("2026-06-13T03:30:00Z")))
    }

    @Test func openNowReturnsTheCurrentOccurrence() {
        let window = Self.window("00:00", minutes: 24 * 60, "UTC", [.mon, .tue, .wed, .thu, .fri, .sat, .sun])
        let now = Self.utc("2026-06-10T15:00:00Z")
        #expect(window.nextOccurrence(after: now) == DateInterval(start: Self.utc("2026-06-10T00:00:00Z"), duration: 86400))
    }

    @Test func scheduleOfSeveralWindows() {
        let now = Self.utc("2026-06-10T12:00:00Z") // a Wednesday
        #expect(MaintenanceSchedule([]).isOpen(at: now))
        #expect(MaintenanceSchedule([]).nextOccurrence(after: now) == nil)
        let schedule = MaintenanceSchedule([Self.window("03:00", "UTC", [.sat]), Self.window("22:00", "UTC", [.wed])])
        #expect(!schedule.isOpen(at: now))
        #expect(schedule.nextOccurrence(after: now)?.start == Self.utc("2026-06-10T22:00:00Z"))
        #expect(schedule.isOpen(at: Self.utc("2026-06-13T03:10:00Z")))
    }

    @Test func validationNamesTheField() {
        #expect(MaintenanceWindow.parseStart("02:30") == 150)
        for bad in ["24:00", "2:30", "02:60", "0230", "aa:bb", "02:30:00", "-1:00", "٠٢:٣٠"] {
            #expect(MaintenanceWindow.parseStart(bad) == nil, "\(bad)")
        }
        func field(_ window: MaintenanceWindow) -> String? {
            do { try window.validate(fieldPrefix: "windows[1]"); return nil } catch let error as PolicyValidationError { return error.field } catch { return "?" }
        }
        #expect(field(Self.window("02:30", "Europe/Berlin", [.sun])) == nil)
        #expect(field(Self.window("02:30", "UTC", [.sun])) == nil)
        for zone in ["CET", "EST", "Mars/Olympus", "+02:00", "", "europe/berlin"] {
            #expect(field(MaintenanceWindow(startMinute: 0, durationMinutes: 60, timeZone: zone, weekdays: [.sun])) == "windows[1].time_zone", "\(zone)")
        }
        #expect(field(MaintenanceWindow(startMinute: 0, durationMinutes: 0, timeZone: "UTC", weekdays: [.sun])) == "windows[1].duration_minutes")
        #expect(field(MaintenanceWindow(startMinute: 1440, durationMinutes: 10, timeZone: "UTC", weekdays: [.sun])) == "windows[1].start")
        #expect(field(MaintenanceWindow(startMinute: 0, durationMinutes: 10, timeZone: "UTC", weekdays: [])) == "windows[1].weekdays")
    }
}
