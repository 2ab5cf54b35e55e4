import Fluent
import Foundation

/// One kind of background job whose rows the runner tracks (distribution jobs, ACME attempts,
/// and later container updates). A row is `running` while some process works on it; it names
/// that process (`owner_replica`) and is touched every few seconds (`heartbeat_at`), so a
/// process that died can be told apart from one that is still working.
protocol TrackedJobKind: Sendable {
    /// Short name for logs and metrics: `distribution`, `acme_attempt`.
    var name: String { get }
    /// The rows of this kind still marked running.
    func runningRows(on database: any Database) async throws -> [TrackedJobRow]
    /// Marks the rows as alive and owned by `owner`.
    func heartbeat(_ ids: [UUID], owner: String, at date: Date, on database: any Database) async throws
    /// Ends the rows that are still running as `interrupted` with `reason`; finished rows stay as they are.
    func interrupt(_ ids: [UUID], reason: String, at date: Date, on database: any Database) async throws
}

/// What the runner needs to judge whether a running row still has a live owner.
struct TrackedJobRow: Sendable, Equatable {
    var id: UUID
    var owner: String?
    var heartbeatAt: Date?
    var startedAt: Date
}

/// Decides whether a running row was abandoned, and says why. Pure, so the rules are tested
/// without processes: the runner and the API's lazy checks share it.
struct JobOwnership: Sendable {
    /// This process's replica id.
    var replica: String
    /// A heartbeat older than this means the owner stopped (a crash, a kill -9, a lost host).
    var staleAfter: TimeInterval = 60
    /// Rows written before owners were recorded: the old rule (15 minutes) still applies to them.
    var unownedAfter: TimeInterval = 15 * 60
    /// Whether the named replica is known to be gone (its process does not exist on this host).
    var isGone: @Sendable (String) -> Bool = ReplicaLiveness.isGone

    /// The reason the row is abandoned, or nil when its owner may still be working on it.
    /// `atStart` is true only for the sweep before this process starts any job: then a row that
    /// names this replica was left by an earlier process with the same `UNITY_REPLICA_ID`.
    func abandonedReason(_ row: TrackedJobRow, now: Date, atStart: Bool) -> String? {
        guard let owner = row.owner else {
            return row.startedAt < now.addingTimeInterval(-unownedAfter) ? "Unity stopped before this job finished" : nil
        }
        if owner == replica {
            return atStart ? "Unity (replica \(owner)) restarted before this job finished" : nil
        }
        if isGone(owner) { return "Unity (replica \(owner)) stopped before this job finished" }
        let last = row.heartbeatAt ?? row.startedAt
        if last < now.addingTimeInterval(-staleAfter) {
            return "Unity (replica \(owner)) stopped reporting progress at \(last.formatted(.iso8601)) before this job finished"
        }
        return nil
    }
}
