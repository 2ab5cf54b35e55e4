/// The `scan:` (OpenZFS) or `scrub:` (old Solaris) section of `zpool status`.
public struct ZpoolScan: Sendable, Equatable, Codable {
    public enum Operation: String, Sendable, Equatable, Codable {
        case scrub, resilver
        /// "none requested": the pool was never scrubbed.
        case none
        case unknown
    }

    public enum State: String, Sendable, Equatable, Codable {
        case noneRequested, inProgress, paused, finished, canceled, unknown
    }

    public var operation: Operation
    public var state: State
    /// Whole section as printed (continuation lines joined by newlines), for display.
    public var text: String
    /// Scrub: bytes repaired. Resilver: bytes resilvered. Approximate unless printed exactly.
    public var repairedBytes: Int?
    /// Errors found by a finished scan ("with N errors").
    public var errors: Int?
    public var durationSeconds: Int?
    /// Finish (or cancel) time of a finished/canceled scan; start time of one in progress/paused.
    public var timestamp: ZpoolTimestamp?
    public var progress: ZpoolScanProgress?

    public init(
        operation: Operation, state: State, text: String, repairedBytes: Int? = nil, errors: Int? = nil,
        durationSeconds: Int? = nil, timestamp: ZpoolTimestamp? = nil, progress: ZpoolScanProgress? = nil
    ) {
        self.operation = operation
        self.state = state
        self.text = text
        self.repairedBytes = repairedBytes
        self.errors = errors
        self.durationSeconds = durationSeconds
        self.timestamp = timestamp
        self.progress = progress
    }
}

/// Progress lines of a scrub or resilver in progress.
public struct ZpoolScanProgress: Sendable, Equatable, Codable {
    public var scannedBytes: Int?
    public var issuedBytes: Int?
    public var totalBytes: Int?
    public var percentDone: Double?
    /// `nil` when zpool says "no estimated completion time".
    public var secondsRemaining: Int?

    public init(scannedBytes: Int? = nil, issuedBytes: Int? = nil, totalBytes: Int? = nil,
                percentDone: Double? = nil, secondsRemaining: Int? = nil) {
        self.scannedBytes = scannedBytes
        self.issuedBytes = issuedBytes
        self.totalBytes = totalBytes
        self.percentDone = percentDone
        self.secondsRemaining = secondsRemaining
    }
}
