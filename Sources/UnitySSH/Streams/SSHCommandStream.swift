/// How a streamed remote command ended.
public struct SSHStreamExit: Sendable, Equatable, CustomStringConvertible {
    /// The exit status; nil when the process was killed by a signal.
    public var status: Int32?
    /// The signal name without "SIG" ("TERM", "KILL") when the process was killed by one.
    public var signal: String?

    public init(status: Int32?, signal: String? = nil) {
        self.status = status
        self.signal = signal
    }

    public var description: String {
        if let signal { return "killed by SIG\(signal)" }
        return "exit status \(status.map(String.init) ?? "unknown")"
    }
}

/// One remote command with its standard streams open both ways: bytes to its stdin, bytes from its
/// stdout, a bounded tail of its stderr, and its exit. Made by `SSHStreamingExecutor.openStream`.
///
/// The stream holds one session slot of its connection (sshd's MaxSessions) for its whole life,
/// until the command ended and the channel closed, or `close()` stopped it. Reads and writes are
/// made by one task at a time; `close()` may come from any task at any moment. Cancelling a task
/// that is reading or writing stops the command (as `close()` does) and throws `.cancelled`.
/// Every method throws only `SSHError`.
public protocol SSHCommandStream: AnyObject, Sendable {
    /// Sends bytes to the command's stdin; returns once the transport took them (bounded by the
    /// peer's window, so a command that does not read holds the writer back).
    func write(_ bytes: [UInt8]) async throws
    /// EOF on the command's stdin; stdout can still be read.
    func finishWriting() async throws
    /// The next chunk of stdout (never empty), or nil at its end. Read on demand: while nobody reads,
    /// at most about `SSHStreamLimits.bufferedBytes` are held, and the remote side is held back.
    func read() async throws -> [UInt8]?
    /// What the command wrote on stderr so far: the last `maxStderr` bytes.
    var stderr: [UInt8] { get }
    /// Waits until the command ended and its channel closed. Throws `.connectionClosed` when the
    /// connection died first (no exit status ever came).
    func waitForExit() async throws -> SSHStreamExit
    /// Stops the command (SIGTERM, then SIGKILL after `SSHStreamLimits.killAfter`), closes the
    /// channel and frees its slot. Idempotent, never throws; returns once the slot is free.
    func close() async
}

public enum SSHStreamLimits {
    /// Stdout held in memory while nobody reads, before reading from the network pauses.
    public static let bufferedBytes = 256 << 10
    /// Time a command gets between SIGTERM and SIGKILL when a stream is closed.
    public static let killAfter: Duration = .seconds(5)
}

/// An executor that can also open long-lived streams (the container engines' dial-stdio channel).
public protocol SSHStreamingExecutor: SSHExecutor {
    /// Runs `command` on `target` with its stdin and stdout connected to the returned stream.
    /// The host key must be pinned (no trust on first use: a stream returns no result to carry the
    /// key back). `openTimeout` bounds waiting for a session slot, the connection and the exec
    /// reply; `maxStderr` bounds the stderr kept.
    func openStream(_ command: RemoteCommand, on target: SSHTarget, openTimeout: Duration, maxStderr: Int) async throws
        -> any SSHCommandStream
}

extension SSHStreamingExecutor {
    /// `openStream` with Unity's defaults: 30 s to open, 64 KiB of stderr.
    public func openStream(_ command: RemoteCommand, on target: SSHTarget) async throws -> any SSHCommandStream {
        try await openStream(command, on: target, openTimeout: .seconds(30), maxStderr: 64 << 10)
    }
}

extension SSHTarget {
    /// Streams refuse trust on first use, for the target and its bastion: the caller pins first
    /// (a `run`, e.g. the server's connection test, records the key).
    func requirePinnedForStreaming() throws(SSHError) {
        if hostKeyPolicy == .trustOnFirstUse || jump?.hostKeyPolicy == .trustOnFirstUse { throw .hostKeyNotPinned }
    }
}
