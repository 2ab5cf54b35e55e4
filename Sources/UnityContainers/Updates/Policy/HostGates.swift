import Foundation

/// What the latest infrastructure snapshot says about the server a container runs on, reduced to
/// what update gating needs. Built by the app (it owns snapshots and alerts); judged here.
public struct HostHealthFacts: Sendable, Equatable {
    public struct Pool: Sendable, Equatable {
        public var name: String
        /// `ONLINE`, `DEGRADED`, … as zpool reports it; nil when unknown.
        public var health: String?
        public var resilvering: Bool
        public init(name: String, health: String?, resilvering: Bool) { self.name = name; self.health = health; self.resilvering = resilvering }
    }

    public struct MDArray: Sendable, Equatable {
        public var name: String
        public var degraded: Bool
        /// `recovery`, `resync`, `reshape`, `check`… when an operation runs.
        public var operation: String?
        public init(name: String, degraded: Bool, operation: String?) { self.name = name; self.degraded = degraded; self.operation = operation }
    }

    public struct Filesystem: Sendable, Equatable {
        public var mountPoint: String
        public var usedPercent: Double
        public init(mountPoint: String, usedPercent: Double) { self.mountPoint = mountPoint; self.usedPercent = usedPercent }
    }

    public var collectedAt: Date?
    /// Disks whose SMART overall assessment failed (identity or slot).
    public var smartFailedDisks: [String]
    public var pools: [Pool]
    public var mdArrays: [MDArray]
    /// The filesystem holding the engine's data root (longest mount-point prefix), when known.
    public var dataRootFilesystem: Filesystem?
    /// Summaries of the host's open (firing or acknowledged) critical alerts.
    public var openCriticalAlerts: [String]

    public init(collectedAt: Date? = nil, smartFailedDisks: [String] = [], pools: [Pool] = [], mdArrays: [MDArray] = [],
                dataRootFilesystem: Filesystem? = nil, openCriticalAlerts: [String] = []) {
        self.collectedAt = collectedAt; self.smartFailedDisks = smartFailedDisks; self.pools = pools
        self.mdArrays = mdArrays; self.dataRootFilesystem = dataRootFilesystem; self.openCriticalAlerts = openCriticalAlerts
    }

    /// Engines' default data roots: Docker's, rootful Podman's. A rootless Podman keeps its store in
    /// the user's home, which the longest-prefix match then finds under `/home` or `/`.
    public static func defaultDataRoot(engineKind: String?, rootless: Bool) -> String {
        if engineKind?.lowercased() == "podman" { return rootless ? "/home" : "/var/lib/containers/storage" }
        return "/var/lib/docker"
    }

    /// The filesystem whose mount point is the longest prefix of `path` (path-segment aware).
    public static func filesystem(holding path: String, among filesystems: [Filesystem]) -> Filesystem? {
        filesystems.filter { fs in
            fs.mountPoint == "/" || path == fs.mountPoint || path.hasPrefix(fs.mountPoint.hasSuffix("/") ? fs.mountPoint : fs.mountPoint + "/")
        }.max { $0.mountPoint.count < $1.mountPoint.count }
    }
}

/// Host-aware gating: every reason not to touch a container on this host now.
public enum HostGate {
    public static let dataRootFullPercent = 90.0

    public static func reasons(_ facts: HostHealthFacts) -> [String] {
        var reasons: [String] = []
        if !facts.smartFailedDisks.isEmpty {
            reasons.append("SMART failed on \(facts.smartFailedDisks.joined(separator: ", "))")
        }
        for pool in facts.pools {
            if pool.resilvering { reasons.append("ZFS pool \(pool.name) is resilvering") }
            else if let health = pool.health, health.uppercased() != "ONLINE" { reasons.append("ZFS pool \(pool.name) is \(health)") }
        }
        for array in facts.mdArrays {
            if array.degraded { reasons.append("md array \(array.name) is degraded") }
            if let operation = array.operation, ["recovery", "resync", "reshape", "rebuild", "rebuilding"].contains(operation.lowercased()) {
                reasons.append("md array \(array.name) is rebuilding (\(operation))")
            }
        }
        if let fs = facts.dataRootFilesystem, fs.usedPercent > dataRootFullPercent {
            reasons.append("the filesystem holding the engine's data (\(fs.mountPoint)) is \(String(format: "%.0f", fs.usedPercent)) % full")
        }
        for alert in facts.openCriticalAlerts { reasons.append("open critical alert: \(alert)") }
        return reasons
    }
}

/// The port through which preflight reads a host's health (the app implements it from the latest
/// snapshot and the alert store). nil: no server is linked or nothing was collected yet.
public protocol HostHealthReading: Sendable {
    func facts(containerHostID: UUID) async throws -> HostHealthFacts?
}
