/// Limits and timers of the connection pool. Defaults suit sshd's defaults (MaxSessions 10,
/// MaxStartups 10:30:100) and a homelab fleet of a few hundred hosts.
public struct SSHPoolConfiguration: Sendable {
    /// Session channels open at once per connection; below sshd's MaxSessions 10 so a human's
    /// session never pushes us over. Lowered automatically when a server refuses a channel.
    public var channelsPerConnection = 8
    /// Concurrent handshakes per `host:port`: sshd's MaxStartups starts dropping at 10 unauthenticated.
    public var handshakesPerHost = 10
    /// Concurrent handshakes across the fleet: bounds CPU spent on key exchange during a cold cycle.
    public var maxConcurrentHandshakes = 64
    /// Commands in flight across the fleet.
    public var maxConcurrentCommands = 512
    /// A connection with nothing running is closed after this long; longer than a collection interval
    /// so cycles reuse it.
    public var idleTimeout: Duration = .seconds(300)
    /// Handshake retries after the server dropped us before authentication (MaxStartups) or refused the connection.
    public var handshakeRetries = 2
    /// After a failed connect, further attempts to the same target fail fast until this backoff
    /// (doubling per consecutive failure, capped) has passed; a success resets it.
    public var reconnectBackoff: Duration = .milliseconds(500)
    public var maxReconnectBackoff: Duration = .seconds(30)

    public init() {}
}
