import Fluent
import Foundation
import UnityContainers

/// Update runs as the background runner sees them. Unlike other jobs, an abandoned run is never
/// ended by the runner: the container may be half-way (renamed, stopped), and only the update
/// engine's resume can put it right. Interrupting a run therefore only releases it (no owner, no
/// heartbeat) and leaves it `running` for `ContainerUpdateRuns.resumeUnfinished`: at the next start
/// of any replica, before new work, or at once through `handOver` when this replica's sweep found a
/// run whose replica died while this one keeps running.
struct ContainerUpdateRunKind: TrackedJobKind {
    var name: String { "container_update" }
    /// Resumes released runs here; set on the runner's own kind only (its sweeps), never called for
    /// a shutdown, whose runs wait for the next start.
    var handOver: (@Sendable () async -> Void)? = nil

    private var runningValue: String { UpdateRunState.running.rawValue }

    func runningRows(on database: any Database) async throws -> [TrackedJobRow] {
        try await ContainerUpdateRunRecord.query(on: database).filter(\.$state == runningValue).all().map(Self.row)
    }

    static func row(_ run: ContainerUpdateRunRecord) throws -> TrackedJobRow {
        TrackedJobRow(id: try run.requireID(), owner: run.ownerReplica, heartbeatAt: run.heartbeatAt, startedAt: run.startedAt)
    }

    func heartbeat(_ ids: [UUID], owner: String, at date: Date, on database: any Database) async throws {
        try await ContainerUpdateRunRecord.query(on: database).filter(\.$id ~~ ids).filter(\.$state == runningValue)
            .set(\.$ownerReplica, to: owner).set(\.$heartbeatAt, to: date).update()
    }

    func interrupt(_ ids: [UUID], reason: String, at date: Date, on database: any Database) async throws {
        try await ContainerUpdateRunRecord.query(on: database).filter(\.$id ~~ ids).filter(\.$state == runningValue)
            .filter(\.$ownerReplica != nil)
            .set(\.$ownerReplica, to: nil).set(\.$heartbeatAt, to: nil).update()
        if reason != BackgroundJobs.shutdownReason, let handOver { await handOver() }
    }
}
