/// A pool or vdev state word as ZFS prints it (ONLINE, DEGRADED, …). Kept as an open set rather
/// than a closed enum: ZFS versions add states (e.g. SUSPENDED, spares' AVAIL/INUSE) and an unknown
/// word must still be reported, not dropped.
public struct ZpoolState: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let online = ZpoolState(rawValue: "ONLINE")
    public static let degraded = ZpoolState(rawValue: "DEGRADED")
    public static let faulted = ZpoolState(rawValue: "FAULTED")
    public static let offline = ZpoolState(rawValue: "OFFLINE")
    public static let unavail = ZpoolState(rawValue: "UNAVAIL")
    public static let removed = ZpoolState(rawValue: "REMOVED")
    public static let suspended = ZpoolState(rawValue: "SUSPENDED")
    /// Hot spare ready for use.
    public static let avail = ZpoolState(rawValue: "AVAIL")
    /// Hot spare currently replacing a failed device.
    public static let inUse = ZpoolState(rawValue: "INUSE")

    /// States that need no attention. OFFLINE is excluded: an administrator took it offline, but
    /// the pool has lost redundancy all the same.
    public var isHealthy: Bool { self == .online || self == .avail }

    public var description: String { rawValue }
}
