/// How one section of the collection script ended.
public enum SectionState: String, Sendable, Equatable, Hashable, Codable {
    /// The command ran to completion (whatever its exit status).
    case completed
    /// The tool or kernel feature is absent on the host; not an error.
    case notInstalled
    /// `timeout` killed the command.
    case timedOut
    /// The stream ended (or was garbled) after the section began but before it ended, e.g. the
    /// SSH connection dropped mid-run. `stdout`/`stderr` hold what arrived.
    case truncated
    /// The section never began: the stream ended earlier.
    case missing
}

/// One framed section of the collection script's output.
public struct SectionResult: Sendable, Equatable, Codable {
    public var name: String
    public var stdout: String
    public var stderr: String
    /// `nil` unless the END marker arrived.
    public var exitStatus: Int?
    public var state: SectionState

    public init(name: String, stdout: String = "", stderr: String = "", exitStatus: Int? = nil, state: SectionState) {
        self.name = name
        self.stdout = stdout
        self.stderr = stderr
        self.exitStatus = exitStatus
        self.state = state
    }

    public var notInstalled: Bool { state == .notInstalled }
    public var timedOut: Bool { state == .timedOut }
    /// True when the output is only part of what the command printed, or nothing at all.
    public var isIncomplete: Bool { state == .truncated || state == .missing }
    public var succeeded: Bool { state == .completed && exitStatus == 0 }
}
