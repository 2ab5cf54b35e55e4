/// What `/proc/stat` says about CPU time and process activity. Interrupt and softirq counters
/// are skipped: they are long (130 KB on big hosts) and Unity does not chart them.
public struct ProcStatSample: Sendable, Equatable, Codable {
    /// The aggregate `cpu` line (all CPUs summed).
    public var total: CPUTimes
    /// The `cpuN` lines in the order the kernel printed them.
    public var cpus: [PerCPUTimes]
    /// `btime`: boot time in seconds since the Unix epoch.
    public var bootTime: UInt64?
    /// `ctxt`: context switches since boot.
    public var contextSwitches: UInt64?
    /// `processes`: forks since boot.
    public var processesCreated: UInt64?
    /// `procs_running`: runnable tasks right now.
    public var processesRunning: UInt64?
    /// `procs_blocked`: tasks waiting on I/O right now.
    public var processesBlocked: UInt64?

    public init(
        total: CPUTimes, cpus: [PerCPUTimes], bootTime: UInt64? = nil, contextSwitches: UInt64? = nil,
        processesCreated: UInt64? = nil, processesRunning: UInt64? = nil, processesBlocked: UInt64? = nil
    ) {
        self.total = total
        self.cpus = cpus
        self.bootTime = bootTime
        self.contextSwitches = contextSwitches
        self.processesCreated = processesCreated
        self.processesRunning = processesRunning
        self.processesBlocked = processesBlocked
    }
}

/// Parser for `cat /proc/stat`.
public enum ProcStat {
    static let source = "/proc/stat"

    public static func parse(_ output: String) throws(ParseError) -> ProcStatSample {
        var total: CPUTimes?
        var cpus: [PerCPUTimes] = []
        var sample = ProcStatSample(total: CPUTimes(user: 0, nice: 0, system: 0, idle: 0), cpus: [])

        for line in TextScanning.lines(output) {
            // Cheap prefix checks first so the huge intr/softirq lines are never tokenised.
            let text = line.text
            if text.hasPrefix("intr") || text.hasPrefix("softirq") { continue }
            let fields = TextScanning.fields(text)
            guard let key = fields.first else { continue }
            let values = fields.dropFirst()

            if key == "cpu" {
                guard total == nil else {
                    throw ParseError(source: source, line: line.number, reason: "second aggregate cpu line")
                }
                total = try cpuTimes(values, line: line.number)
            } else if key.hasPrefix("cpu") {
                guard let index = TextScanning.int(key.dropFirst(3)) else {
                    throw ParseError(source: source, line: line.number, reason: "bad cpu label '\(key.prefix(32))'")
                }
                cpus.append(PerCPUTimes(index: index, times: try cpuTimes(values, line: line.number)))
            } else {
                let value = try counter(values, key: key, line: line.number)
                switch key {
                case "btime": sample.bootTime = value
                case "ctxt": sample.contextSwitches = value
                case "processes": sample.processesCreated = value
                case "procs_running": sample.processesRunning = value
                case "procs_blocked": sample.processesBlocked = value
                default: continue  // unknown keys from newer kernels are not an error
                }
            }
        }

        guard let total else {
            throw ParseError(source: source, reason: "no aggregate 'cpu' line; not /proc/stat output")
        }
        sample.total = total
        sample.cpus = cpus
        return sample
    }

    /// user nice system idle are required (every kernel since 2.4 prints them); later columns
    /// are optional and columns beyond guest_nice are ignored for forward compatibility.
    private static func cpuTimes(_ values: ArraySlice<Substring>, line: Int) throws(ParseError) -> CPUTimes {
        guard values.count >= 4 else {
            throw ParseError(source: source, line: line, reason: "cpu line has \(values.count) columns, need at least 4")
        }
        var numbers: [UInt64] = []
        for value in values.prefix(10) {
            guard let number = TextScanning.unsigned(value) else {
                throw ParseError(source: source, line: line, reason: "cpu column '\(value.prefix(32))' is not a counter")
            }
            numbers.append(number)
        }
        func column(_ index: Int) -> UInt64 { index < numbers.count ? numbers[index] : 0 }
        return CPUTimes(
            user: column(0), nice: column(1), system: column(2), idle: column(3), iowait: column(4),
            irq: column(5), softirq: column(6), steal: column(7), guest: column(8), guestNice: column(9)
        )
    }

    /// Value of a `key N` line. Only called for keys we might store, but validated for all
    /// single-value lines we know so a garbled file is reported instead of half-read.
    private static func counter(_ values: ArraySlice<Substring>, key: Substring, line: Int) throws(ParseError) -> UInt64? {
        let known: Set<Substring> = ["btime", "ctxt", "processes", "procs_running", "procs_blocked"]
        guard known.contains(key) else { return nil }
        guard values.count == 1, let first = values.first, let number = TextScanning.unsigned(first) else {
            throw ParseError(source: source, line: line, reason: "'\(key)' needs one unsigned number")
        }
        return number
    }
}
