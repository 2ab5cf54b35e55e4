/// One pool of `zpool status` output.
public struct ZpoolStatus: Sendable, Equatable, Codable {
    public var name: String
    public var state: ZpoolState
    /// `status:` text, continuation lines joined with single spaces.
    public var status: String?
    public var action: String?
    /// `see:` URL.
    public var see: String?
    /// `nil` when the pool has no `scan:` line (a new pool that was never scrubbed).
    public var scan: ZpoolScan?
    /// The pool's own line and the data vdevs below it.
    public var root: ZpoolVdev?
    public var logs: [ZpoolVdev]
    public var cache: [ZpoolVdev]
    public var spares: [ZpoolVdev]
    public var special: [ZpoolVdev]
    public var dedup: [ZpoolVdev]
    /// `nil` when the output has no `errors:` line (e.g. cut short).
    public var errors: ZpoolErrors?

    public init(
        name: String, state: ZpoolState, status: String? = nil, action: String? = nil, see: String? = nil,
        scan: ZpoolScan? = nil, root: ZpoolVdev? = nil, logs: [ZpoolVdev] = [], cache: [ZpoolVdev] = [],
        spares: [ZpoolVdev] = [], special: [ZpoolVdev] = [], dedup: [ZpoolVdev] = [], errors: ZpoolErrors? = nil
    ) {
        self.name = name
        self.state = state
        self.status = status
        self.action = action
        self.see = see
        self.scan = scan
        self.root = root
        self.logs = logs
        self.cache = cache
        self.spares = spares
        self.special = special
        self.dedup = dedup
        self.errors = errors
    }

    /// Every device in the pool (data, special, dedup, log, cache, spare), depth first.
    public var allDevices: [ZpoolVdev] {
        let tops = (root.map { [$0] } ?? []) + special + dedup + logs + cache + spares
        return tops.flatMap(\.leaves)
    }

    /// Devices not ONLINE/AVAIL, e.g. the UNAVAIL leg of a degraded mirror.
    public var unhealthyDevices: [ZpoolVdev] {
        allDevices.filter { !($0.state?.isHealthy ?? false) }
    }
}
