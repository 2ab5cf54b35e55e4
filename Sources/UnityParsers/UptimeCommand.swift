/// What the `uptime` command prints. Coarser than /proc/uptime (minutes), but it is what
/// BusyBox-only or non-Linux hosts offer, so it is accepted as a fallback.
public struct UptimeCommandOutput: Sendable, Equatable, Codable {
    /// Wall clock at the time of the call as printed, e.g. "10:25:20" (no date, no zone).
    public var timeOfDay: String?
    /// Time since boot, precise to the minute.
    public var uptimeSeconds: Int
    /// Logged-in users; nil when the line omits the users field (some BusyBox builds).
    public var users: Int?
    public var load1: Double
    public var load5: Double
    public var load15: Double

    public init(timeOfDay: String?, uptimeSeconds: Int, users: Int?, load1: Double, load5: Double, load15: Double) {
        self.timeOfDay = timeOfDay
        self.uptimeSeconds = uptimeSeconds
        self.users = users
        self.load1 = load1
        self.load5 = load5
        self.load15 = load15
    }
}

/// Parser for the `uptime` command, e.g. " 19:43:06 up 2 days, 19:32,  2 users,  load average: 0.00, 0.00, 0.00".
public enum UptimeCommand {
    static let source = "uptime"

    public static func parse(_ output: String) throws(ParseError) -> UptimeCommandOutput {
        let line = String(TextScanning.trimmed(ProcLoadavg.firstNonEmptyLine(output)))
        // "load averages:" is the BSD/macOS spelling.
        guard let loadRange = line.firstRange(of: "load average") else {
            throw ParseError(source: source, line: 1, reason: "no 'load average' field; not uptime command output")
        }
        guard let upRange = line.firstRange(of: " up "), upRange.upperBound <= loadRange.lowerBound else {
            throw ParseError(source: source, line: 1, reason: "no ' up ' field; not uptime command output")
        }

        let timeOfDay = TextScanning.trimmed(line[line.startIndex..<upRange.lowerBound])
        let (seconds, users) = try uptimeAndUsers(line[upRange.upperBound..<loadRange.lowerBound])
        let loads = try loadAverages(line[loadRange.upperBound...])
        return UptimeCommandOutput(
            timeOfDay: timeOfDay.isEmpty ? nil : String(timeOfDay), uptimeSeconds: seconds, users: users,
            load1: loads.0, load5: loads.1, load15: loads.2
        )
    }

    /// Comma-separated pieces: "2 days", "19:32", "5 min", "3 hrs", "2 users".
    private static func uptimeAndUsers(_ text: Substring) throws(ParseError) -> (Int, Int?) {
        var seconds = 0
        var users: Int?
        var sawDuration = false
        for piece in text.split(separator: ",") {
            let words = TextScanning.fields(piece)
            guard !words.isEmpty else { continue }
            if words.count == 1, let clock = clockSeconds(words[0]) {
                seconds += clock
                sawDuration = true
                continue
            }
            guard words.count == 2, let count = TextScanning.int(words[0]), count <= 1_000_000 else {
                throw ParseError(source: source, line: 1, reason: "unrecognised uptime piece '\(piece.prefix(40))'")
            }
            let unitSeconds: Int
            switch words[1] {
            case "day", "days": unitSeconds = 86_400
            case "hr", "hrs", "hour", "hours": unitSeconds = 3_600
            case "min", "mins", "minute", "minutes": unitSeconds = 60
            case "sec", "secs", "second", "seconds": unitSeconds = 1
            case "user", "users":
                users = count
                continue
            default:
                throw ParseError(source: source, line: 1, reason: "unknown unit '\(words[1].prefix(20))'")
            }
            let (sum, overflow) = seconds.addingReportingOverflow(count * unitSeconds)
            guard !overflow else {
                throw ParseError(source: source, line: 1, reason: "uptime overflows")
            }
            seconds = sum
            sawDuration = true
        }
        guard sawDuration else {
            throw ParseError(source: source, line: 1, reason: "no uptime duration")
        }
        return (seconds, users)
    }

    /// "19:32" → hours and minutes in seconds.
    private static func clockSeconds(_ word: Substring) -> Int? {
        let parts = word.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let hours = TextScanning.int(parts[0]), let minutes = TextScanning.int(parts[1]),
              hours < 24, minutes < 60
        else { return nil }
        return hours * 3_600 + minutes * 60
    }

    /// ": 0.00, 0.01, 0.05" (Linux) or "s: 0.00 0.01 0.05" (BSD).
    private static func loadAverages(_ text: Substring) throws(ParseError) -> (Double, Double, Double) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ParseError(source: source, line: 1, reason: "load average without ':'")
        }
        let tokens = text[text.index(after: colon)...]
            .split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
        let numbers = tokens.compactMap { TextScanning.decimal($0) }
        guard tokens.count == 3, numbers.count == 3 else {
            throw ParseError(source: source, line: 1, reason: "expected three load averages")
        }
        return (numbers[0], numbers[1], numbers[2])
    }
}
