import Foundation

// The contract between the three parts of applying an update (issue 17): the update engine
// (journal, pull, recreate, health gate, rollback), the policy side (policies, maintenance windows,
// approvals, host-aware gates) and backups. Each part is built and tested on its own against these
// types; the app wires the live implementations together.

/// What asked for an update: a person ("update now"), an approved request, or a policy in `auto` mode.
public enum UpdateTrigger: String, Sendable, Codable, Equatable {
    case manual, approval, policy
}

/// One request to move a container to a candidate image.
public struct UpdateRequest: Sendable, Equatable {
    public var containerID: UUID
    public var hostID: UUID
    /// The reference to pull, e.g. `ghcr.io/org/app:1.4.2` (a tag, the same tag for a rebuild).
    public var candidateReference: String
    /// The digest the candidate must resolve to (from update detection); nil = resolve at preflight.
    public var candidateDigest: String?
    public var trigger: UpdateTrigger
    /// The user or policy that asked, for the journal and the audit log.
    public var requestedBy: String
    /// An admin's audited override of the maintenance window (manual updates only).
    public var overrideWindow: Bool

    public init(containerID: UUID, hostID: UUID, candidateReference: String, candidateDigest: String? = nil,
                trigger: UpdateTrigger, requestedBy: String, overrideWindow: Bool = false) {
        self.containerID = containerID
        self.hostID = hostID
        self.candidateReference = candidateReference
        self.candidateDigest = candidateDigest
        self.trigger = trigger
        self.requestedBy = requestedBy
        self.overrideWindow = overrideWindow
    }
}

/// How the new container is judged healthy before the old one is removed.
public struct HealthGateSettings: Sendable, Equatable, Codable {
    /// Without a HEALTHCHECK: running, not restarting, restart count unchanged for this long.
    public var stableSeconds: Int
    /// With a HEALTHCHECK: the longest wait for `healthy` (`starting` keeps waiting until then).
    public var healthyTimeoutSeconds: Int
    /// Log lines of the new container kept as evidence when the gate fails.
    public var evidenceLogLines: Int

    public init(stableSeconds: Int = 30, healthyTimeoutSeconds: Int = 300, evidenceLogLines: Int = 100) {
        self.stableSeconds = stableSeconds
        self.healthyTimeoutSeconds = healthyTimeoutSeconds
        self.evidenceLogLines = evidenceLogLines
    }
}

/// What the effective policy asks of one run, once preflight let it through.
public struct UpdateApplyOptions: Sendable, Equatable {
    public var requireBackup: Bool
    public var healthGate: HealthGateSettings
    public var maxParallelPerHost: Int

    public init(requireBackup: Bool = false, healthGate: HealthGateSettings = HealthGateSettings(), maxParallelPerHost: Int = 1) {
        self.requireBackup = requireBackup
        self.healthGate = healthGate
        self.maxParallelPerHost = maxParallelPerHost
    }
}

/// The policy side's answer for one request.
public enum UpdatePreflightVerdict: Sendable, Equatable {
    /// Go ahead with these options.
    case proceed(UpdateApplyOptions)
    /// Not now (outside the window, the host's disks degraded, release too young…); `until` when known.
    case deferred(reason: String, until: Date?)
    /// The policy wants an operator's approval first (an approval request is queued by the caller).
    case needsApproval(reason: String)
    /// Never under the current policy (kind not allowed, container pinned…).
    case refused(reason: String)
}

/// Policies, maintenance windows, approvals and host-aware gates, asked before anything is touched.
public protocol UpdatePreflighting: Sendable {
    func check(_ request: UpdateRequest, at now: Date) async throws -> UpdatePreflightVerdict
}

/// The preflight for installs without policies and for the update engine's own tests: always proceed.
public struct AlwaysProceed: UpdatePreflighting {
    public var options: UpdateApplyOptions
    public init(options: UpdateApplyOptions = UpdateApplyOptions()) { self.options = options }
    public func check(_ request: UpdateRequest, at now: Date) async throws -> UpdatePreflightVerdict { .proceed(options) }
}

/// One backup as the journal refers to it.
public struct ContainerBackupReference: Sendable, Equatable, Codable {
    public var id: UUID
    /// Bytes written (config, volume archives, dumps).
    public var sizeBytes: Int64
    /// What it holds, for the journal line: `config`, `volume:pgdata`, `dump:pg_dumpall`.
    public var parts: [String]

    public init(id: UUID, sizeBytes: Int64, parts: [String]) {
        self.id = id
        self.sizeBytes = sizeBytes
        self.parts = parts
    }
}

/// Backups and restores of one container, taken by the update engine before it stops anything and
/// offered as their own actions. Implementations throw when they refuse (not enough free space).
public protocol ContainerBackupTaking: Sendable {
    /// Backs up the container `engineContainerID` (its engine's id) on `hostID`, running or stopped.
    func backUp(hostID: UUID, engineContainerID: String, reason: String) async throws -> ContainerBackupReference
    /// Puts a backup's volumes (and, for databases, the dump) back into `engineContainerID`.
    func restore(_ backupID: UUID, hostID: UUID, engineContainerID: String) async throws
}
