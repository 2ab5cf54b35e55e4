/// `/proc/loadavg`: run-queue averages and task counts.
public struct LoadAverage: Sendable, Equatable, Codable {
    public var one: Double
    public var five: Double
    public var fifteen: Double
    /// Tasks runnable at the moment of reading (numerator of "2/111").
    public var runnableTasks: Int
    /// All tasks (threads included) that exist (denominator of "2/111").
    public var totalTasks: Int
    /// PID most recently handed out.
    public var lastPID: Int

    public init(one: Double, five: Double, fifteen: Double, runnableTasks: Int, totalTasks: Int, lastPID: Int) {
        self.one = one
        self.five = five
        self.fifteen = fifteen
        self.runnableTasks = runnableTasks
        self.totalTasks = totalTasks
        self.lastPID = lastPID
    }
}

/// Parser for `cat /proc/loadavg`, e.g. "0.00 0.01 0.03 2/111 2039".
public enum ProcLoadavg {
    static let source = "/proc/loadavg"

    public static func parse(_ output: String) throws(ParseError) -> LoadAverage {
        let fields = TextScanning.fields(firstNonEmptyLine(output))
        guard fields.count == 5 else {
            throw ParseError(source: source, line: 1, reason: "expected 5 fields, found \(fields.count)")
        }
        guard let one = TextScanning.decimal(fields[0]),
              let five = TextScanning.decimal(fields[1]),
              let fifteen = TextScanning.decimal(fields[2])
        else {
            throw ParseError(source: source, line: 1, reason: "load averages must be plain decimals")
        }
        let tasks = fields[3].split(separator: "/", omittingEmptySubsequences: false)
        guard tasks.count == 2,
              let runnable = TextScanning.int(tasks[0]),
              let total = TextScanning.int(tasks[1])
        else {
            throw ParseError(source: source, line: 1, reason: "task counts should look like 'running/total'")
        }
        guard let lastPID = TextScanning.int(fields[4]) else {
            throw ParseError(source: source, line: 1, reason: "last PID is not a number")
        }
        return LoadAverage(
            one: one, five: five, fifteen: fifteen, runnableTasks: runnable, totalTasks: total, lastPID: lastPID
        )
    }

    /// /proc files of one line: tolerate a trailing newline but nothing before the data.
    static func firstNonEmptyLine(_ output: String) -> Substring {
        TextScanning.lines(output).first?.text ?? ""
    }
}
