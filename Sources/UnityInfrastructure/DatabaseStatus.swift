import UnityParsers

/// What a probe learned about one database server.
public struct DatabaseStatus: Sendable, Equatable, Codable {
    public var engine: DatabaseEngine
    /// As the server reports it, e.g. "15.18 (Debian 15.18-0+deb12u1)" or "10.11.6-MariaDB-0+deb12u1".
    public var version: String
    public var uptimeSeconds: Int?
    /// PostgreSQL backends, MySQL Threads_connected, Redis connected_clients.
    public var connections: Int?
    /// All databases (PostgreSQL, MySQL) or used_memory (Redis).
    public var sizeBytes: UInt64?
    /// Share of page reads served from memory, 0...1 (PostgreSQL, MySQL/InnoDB).
    public var cacheHitRatio: Double?

    public init(
        engine: DatabaseEngine, version: String, uptimeSeconds: Int? = nil, connections: Int? = nil,
        sizeBytes: UInt64? = nil, cacheHitRatio: Double? = nil
    ) {
        self.engine = engine
        self.version = version
        self.uptimeSeconds = uptimeSeconds
        self.connections = connections
        self.sizeBytes = sizeBytes
        self.cacheHitRatio = cacheHitRatio
    }
}
