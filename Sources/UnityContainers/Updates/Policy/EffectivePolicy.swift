import Foundation
import UnityRegistry

/// Where an effective value came from: a policy, or Unity's built-in default.
public struct PolicySource: Sendable, Equatable, Codable {
    /// nil for the built-in default.
    public var policyID: UUID?
    /// The policy's name, or `default`.
    public var name: String
    /// The policy's scope kind (`global`, `host`, …), or `default`.
    public var scope: String

    public static let builtIn = PolicySource(policyID: nil, name: "default", scope: "default")

    public init(policyID: UUID?, name: String, scope: String) {
        self.policyID = policyID; self.name = name; self.scope = scope
    }
}

/// One value of the effective policy and the policy that set it.
public struct Sourced<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value
    public var source: PolicySource
    public init(_ value: Value, _ source: PolicySource) { self.value = value; self.source = source }
}

/// What applies to one container: each field from the highest-ranked matching policy that sets it,
/// else the built-in default.
public struct EffectivePolicy: Sendable, Equatable {
    public var mode: Sourced<UpdatePolicyMode>
    public var allowedKinds: Sourced<[UpdateKind]>
    public var minimumReleaseAgeSeconds: Sourced<Int>
    public var windows: Sourced<[MaintenanceWindow]>
    public var requireBackup: Sourced<Bool>
    public var healthGate: Sourced<HealthGateSettings>
    public var maxParallelPerHost: Sourced<Int>
    public var dependencyOrder: Sourced<DependencyOrder>
    /// Every policy that matched, best first (for the "why" view).
    public var matched: [PolicySource]

    /// Built-in defaults: notify only; digest, patch and minor updates (a major needs a policy that
    /// allows it: a database's major bump can make its data unreadable to the old image); no
    /// minimum age; any time; a backup for databases; the engine's default health gate; one update
    /// at a time per host; databases first (the apps that need them restart against the new one).
    public static let defaultKinds: [UpdateKind] = [.digest, .patch, .minor]

    public var schedule: MaintenanceSchedule { MaintenanceSchedule(windows.value) }

    public var applyOptions: UpdateApplyOptions {
        UpdateApplyOptions(requireBackup: requireBackup.value, healthGate: healthGate.value, maxParallelPerHost: maxParallelPerHost.value)
    }

    /// Policies ranked: priority (higher first), then scope specificity, then name and id, so the
    /// outcome never depends on the order rows came from the database.
    public static func rank(_ policies: [UpdatePolicy]) -> [UpdatePolicy] {
        policies.sorted { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            if a.scope.specificity != b.scope.specificity { return a.scope.specificity > b.scope.specificity }
            if a.name != b.name { return a.name < b.name }
            return a.id.uuidString < b.id.uuidString
        }
    }

    public static func resolve(_ subject: PolicySubject, policies: [UpdatePolicy]) -> EffectivePolicy {
        let ranked = rank(policies.filter { $0.scope.matches(subject) })
        func pick<Value: Sendable & Equatable>(_ keyPath: KeyPath<UpdatePolicySettings, Value?>, default value: Value) -> Sourced<Value> {
            for policy in ranked {
                if let set = policy.settings[keyPath: keyPath] {
                    return Sourced(set, PolicySource(policyID: policy.id, name: policy.name, scope: policy.scope.kind))
                }
            }
            return Sourced(value, .builtIn)
        }
        return EffectivePolicy(
            mode: pick(\.mode, default: .notify),
            allowedKinds: pick(\.allowedKinds, default: defaultKinds),
            minimumReleaseAgeSeconds: pick(\.minimumReleaseAgeSeconds, default: 0),
            windows: pick(\.windows, default: []),
            requireBackup: pick(\.requireBackup, default: subject.isDatabase),
            healthGate: pick(\.healthGate, default: HealthGateSettings()),
            maxParallelPerHost: pick(\.maxParallelPerHost, default: 1),
            dependencyOrder: pick(\.dependencyOrder, default: .databasesFirst),
            matched: ranked.map { PolicySource(policyID: $0.id, name: $0.name, scope: $0.scope.kind) })
    }
}

/// Database containers by image: the repository's last path segment, so `postgres:16`,
/// `bitnami/postgresql`, `ghcr.io/x/mariadb` and `docker.io/library/redis` all count. The same engines
/// `UnityInfrastructure.DatabaseDiscovery` finds by process name on a host.
public enum DatabaseImages {
    static let names: [String: String] = [
        "postgres": "postgresql", "postgresql": "postgresql", "postgis": "postgresql", "timescaledb": "postgresql",
        "timescaledb-ha": "postgresql", "pgvector": "postgresql", "mariadb": "mariadb", "mysql": "mysql",
        "mysql-server": "mysql", "percona-server": "mysql", "percona": "mysql", "mongo": "mongodb", "mongodb": "mongodb",
        "mongodb-community-server": "mongodb", "redis": "redis", "redis-stack-server": "redis", "valkey": "redis",
        "keydb": "redis", "couchdb": "couchdb", "influxdb": "influxdb", "clickhouse-server": "clickhouse",
    ]

    /// The engine an image reference runs (`postgresql`, `mariadb`, …), or nil.
    public static func engine(imageReference: String?) -> String? {
        guard var text = imageReference?.lowercased(), !text.isEmpty else { return nil }
        if let at = text.firstIndex(of: "@") { text = String(text[..<at]) }
        var segment = text.split(separator: "/").last.map(String.init) ?? text
        if let colon = segment.firstIndex(of: ":") { segment = String(segment[..<colon]) }
        return names[segment]
    }
}
