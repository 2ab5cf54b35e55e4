/// The seam between the Engine API client and whatever carries its bytes: a unix socket here, an SSH
/// exec channel running `docker system dial-stdio` (or `podman system dial-stdio`) for remote hosts,
/// a TLS connection later. Deliberately tiny and free of NIO and SSH types so every transport can
/// adapt to it in a few lines.
///
/// One stream is one HTTP/1.1 connection to the engine. Calls on one stream are made by one task at a
/// time (the HTTP client never reads or writes concurrently on the same stream), except `close()`,
/// which may be called from any task at any moment (cancellation) and must wake a pending `read()`.
public protocol ContainerByteStream: AnyObject, Sendable {
    /// Sends bytes to the engine; returns once they are handed to the transport (not necessarily
    /// delivered). Throws once the stream is closed.
    func write(_ bytes: [UInt8]) async throws
    /// Half-closes the sending direction (EOF to the engine) while responses can still be read.
    func closeWrite() async throws
    /// The next chunk the engine sent (never empty), or nil at a clean end of stream. Throws when the
    /// transport failed; throws `CancellationError` or returns nil once the stream was closed.
    func read() async throws -> [UInt8]?
    /// Closes both directions and releases the transport. Idempotent, never throws.
    func close() async
}

/// Opens byte streams to one engine. Each call gives a fresh connection; the engine client keeps
/// idle ones for reuse and opens dedicated ones for long streams (logs, events, stats).
public protocol ContainerTransport: Sendable {
    /// Throws `ContainerEngineError` (socket missing, permission denied, daemon down, …) when no
    /// connection can be made.
    func openStream() async throws -> any ContainerByteStream
    /// Where the transport goes, for messages and logs ("unix:///run/docker.sock"). No secrets.
    var endpointDescription: String { get }
}
