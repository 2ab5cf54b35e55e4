import Foundation
import UnityRegistry

/// What a policy does with an available update.
public enum UpdatePolicyMode: String, Sendable, Codable, CaseIterable {
    /// Tell people (the default): nothing is applied unless someone asks.
    case notify
    /// Queue an approval; an operator's approval starts the update (in the window).
    case approve
    /// Apply on its own, in the window, when every rule allows it.
    case auto
}

/// The order of a batch on one host: database containers before or after the others.
public enum DependencyOrder: String, Sendable, Codable, CaseIterable {
    case databasesFirst = "databases_first"
    case databasesLast = "databases_last"
}

/// Which containers a policy is about. Specificity (container > compose project > label selector >
/// host > global) only breaks ties between policies of the same priority.
public enum PolicyScope: Sendable, Equatable {
    case global
    case host(UUID)
    /// A compose project, on one host or (nil) on every host.
    case composeProject(name: String, hostID: UUID?)
    case container(UUID)
    /// Every label must be present with that value; a value `*` only asks for the label.
    case labels([String: String])

    public var kind: String {
        switch self {
        case .global: "global"
        case .host: "host"
        case .composeProject: "compose_project"
        case .container: "container"
        case .labels: "labels"
        }
    }

    var specificity: Int {
        switch self {
        case .global: 0
        case .host: 1
        case .labels: 2
        case .composeProject: 3
        case .container: 4
        }
    }

    public func matches(_ subject: PolicySubject) -> Bool {
        switch self {
        case .global: true
        case .host(let id): subject.hostID == id
        case .composeProject(let name, let hostID): subject.composeProject == name && (hostID == nil || hostID == subject.hostID)
        case .container(let id): subject.containerID == id
        case .labels(let selector):
            !selector.isEmpty && selector.allSatisfy { key, value in
                guard let actual = subject.labels[key] else { return false }
                return value == "*" || actual == value
            }
        }
    }
}

/// The values a policy sets; nil leaves the value to a lower policy or the built-in default.
public struct UpdatePolicySettings: Sendable, Equatable, Codable {
    public var mode: UpdatePolicyMode?
    public var allowedKinds: [UpdateKind]?
    /// Seconds since the candidate was first seen; 0 = no minimum.
    public var minimumReleaseAgeSeconds: Int?
    /// Empty list = any time (and it overrides a lower policy's windows).
    public var windows: [MaintenanceWindow]?
    public var requireBackup: Bool?
    public var healthGate: HealthGateSettings?
    public var maxParallelPerHost: Int?
    public var dependencyOrder: DependencyOrder?

    public init(mode: UpdatePolicyMode? = nil, allowedKinds: [UpdateKind]? = nil, minimumReleaseAgeSeconds: Int? = nil,
                windows: [MaintenanceWindow]? = nil, requireBackup: Bool? = nil, healthGate: HealthGateSettings? = nil,
                maxParallelPerHost: Int? = nil, dependencyOrder: DependencyOrder? = nil) {
        self.mode = mode; self.allowedKinds = allowedKinds.map { Array(Set($0)).sorted() }
        self.minimumReleaseAgeSeconds = minimumReleaseAgeSeconds; self.windows = windows; self.requireBackup = requireBackup
        self.healthGate = healthGate; self.maxParallelPerHost = maxParallelPerHost; self.dependencyOrder = dependencyOrder
    }

    /// Checks every value that is set, naming the request field of the first bad one.
    public func validate() throws {
        if let kinds = allowedKinds, kinds.isEmpty {
            throw PolicyValidationError(field: "allowed_kinds", message: "must name at least one of digest, patch, minor, major")
        }
        if let age = minimumReleaseAgeSeconds, !(0...(365 * 86400)).contains(age) {
            throw PolicyValidationError(field: "minimum_release_age_seconds", message: "must be between 0 and one year")
        }
        for (index, window) in (windows ?? []).enumerated() { try window.validate(fieldPrefix: "windows[\(index)]") }
        if let parallel = maxParallelPerHost, !(1...64).contains(parallel) {
            throw PolicyValidationError(field: "max_parallel_per_host", message: "must be between 1 and 64")
        }
        if let gate = healthGate {
            if !(0...3600).contains(gate.stableSeconds) {
                throw PolicyValidationError(field: "health_gate.stable_seconds", message: "must be between 0 and 3600")
            }
            if !(1...7200).contains(gate.healthyTimeoutSeconds) {
                throw PolicyValidationError(field: "health_gate.healthy_timeout_seconds", message: "must be between 1 and 7200")
            }
            if !(0...10_000).contains(gate.evidenceLogLines) {
                throw PolicyValidationError(field: "health_gate.evidence_log_lines", message: "must be between 0 and 10000")
            }
        }
    }
}

/// One stored policy.
public struct UpdatePolicy: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var scope: PolicyScope
    /// Higher wins; ties go to the more specific scope, then to the name.
    public var priority: Int
    public var settings: UpdatePolicySettings

    public init(id: UUID, name: String, scope: PolicyScope, priority: Int, settings: UpdatePolicySettings) {
        self.id = id; self.name = name; self.scope = scope; self.priority = priority; self.settings = settings
    }
}

/// A container as policies see it.
public struct PolicySubject: Sendable, Equatable {
    public var containerID: UUID
    public var hostID: UUID
    public var composeProject: String?
    public var labels: [String: String]
    /// Detected from the image (`DatabaseImages`): decides the default of `require_backup`.
    public var isDatabase: Bool

    public init(containerID: UUID, hostID: UUID, composeProject: String? = nil, labels: [String: String] = [:], isDatabase: Bool = false) {
        self.containerID = containerID; self.hostID = hostID; self.composeProject = composeProject
        self.labels = labels; self.isDatabase = isDatabase
    }
}
