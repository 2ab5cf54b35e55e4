/// `/proc/uptime`.
public struct Uptime: Sendable, Equatable, Codable {
    /// Seconds since boot.
    public var seconds: Double
    /// Idle seconds summed over all CPUs, so it can exceed `seconds` on multi-CPU hosts.
    public var idleSeconds: Double

    public init(seconds: Double, idleSeconds: Double) {
        self.seconds = seconds
        self.idleSeconds = idleSeconds
    }
}

/// Parser for `cat /proc/uptime`, e.g. "46901.13 46856.66".
public enum ProcUptime {
    static let source = "/proc/uptime"

    public static func parse(_ output: String) throws(ParseError) -> Uptime {
        let fields = TextScanning.fields(ProcLoadavg.firstNonEmptyLine(output))
        guard fields.count == 2,
              let seconds = TextScanning.decimal(fields[0]),
              let idle = TextScanning.decimal(fields[1])
        else {
            throw ParseError(
                source: source, line: 1,
                reason: "expected two decimals 'uptime idle' (is this `uptime` command output? use UptimeCommand)"
            )
        }
        return Uptime(seconds: seconds, idleSeconds: idle)
    }
}
