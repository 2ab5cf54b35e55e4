/// Why a command's output could not be read. Parsers return this instead of trapping: remote output
/// is untrusted and a malformed answer must never bring the server down.
public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was being parsed, e.g. "/proc/meminfo" or "smartctl --json".
    public var source: String
    /// 1-based line number, when the problem is tied to one line.
    public var line: Int?
    public var reason: String

    public init(source: String, line: Int? = nil, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(source): line \(line): \(reason)" }
        return "\(source): \(reason)"
    }
}
