import FluentKit
import Foundation
import UnityRegistry

/// Why the journal refused a call.
public enum UpdateRunError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The container has an active run already (one per container, across replicas).
    case alreadyActive(containerID: UUID, runID: UUID?, startedAt: Date?)
    case unknownRun(UUID)
    /// `finish` was given `queued` or `running`.
    case notFinal(UpdateRunState)

    public var description: String {
        switch self {
        case .alreadyActive(_, let runID, let startedAt):
            let since = startedAt.map { " (started \($0.formatted(.iso8601)))" } ?? ""
            return "an update of this container is already running\(since)" + (runID.map { ": run \($0.uuidString)" } ?? "")
        case .unknownRun(let id): return "update run \(id.uuidString) not found"
        case .notFinal(let state): return "\(state.rawValue) is not a final state of a run"
        }
    }
}

/// The update journal on the database (`container_update_runs`, `container_update_steps`). Every call
/// returns once its row is stored, so a process killed right after it finds the line on restart.
public struct DatabaseUpdateJournal: UpdateJournaling {
    public let database: @Sendable () -> any Database
    /// The replica that owns the runs this journal begins.
    public let replica: String

    public init(database: @escaping @Sendable () -> any Database, replica: String) {
        self.database = database
        self.replica = replica
    }

    private static let activeStates = [UpdateRunState.queued.rawValue, UpdateRunState.running.rawValue]

    public func begin(_ request: UpdateRequest, at: Date) async throws -> UUID {
        let db = database()
        let container = try await ContainerRecord.find(request.containerID, on: db)
        let status = try await ContainerUpdateStatusRecord.query(on: db).filter(\.$containerID == request.containerID).first()
        let row = ContainerUpdateRunRecord()
        let id = UUID()
        row.id = id
        row.containerID = request.containerID
        row.containerName = container?.name ?? request.containerID.uuidString
        row.hostID = request.hostID
        row.fromReference = container?.imageReference
        row.fromTag = status?.currentTag ?? container?.imageReference.flatMap { try? ImageReference.parse($0).tag }
        row.fromDigest = status?.currentDigest ?? container.flatMap(Self.firstRepoDigest)
        row.toReference = request.candidateReference
        row.toDigest = request.candidateDigest
        row.trigger = request.trigger.rawValue
        row.requestedBy = request.requestedBy
        row.overrideWindow = request.overrideWindow
        row.state = UpdateRunState.running.rawValue
        row.factsJSON = ContainerUpdateRunRecord.encode(UpdateRunFacts())
        row.activeContainerID = request.containerID
        row.ownerReplica = replica
        row.heartbeatAt = at
        row.startedAt = at
        do {
            try await row.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The unique index on active_container_id said no: another request or replica won.
            let active = try await activeRun(containerID: request.containerID)
            throw UpdateRunError.alreadyActive(containerID: request.containerID, runID: active?.id, startedAt: active?.startedAt)
        }
        return id
    }

    public func record(_ facts: UpdateRunFacts, run: UUID) async throws {
        let row = try await find(run)
        row.facts = facts
        try await row.update(on: database())
    }

    public func append(_ entry: UpdateStepEntry, run: UUID) async throws {
        let db = database()
        _ = try await find(run)
        // One writer per run (the engine); the unique (run, sequence) index turns a second writer's
        // race into a retry with the next number instead of two lines with one number.
        for attempt in 0..<3 {
            let last = try await ContainerUpdateStepRecord.query(on: db).filter(\.$runID == run).max(\.$sequence) ?? 0
            do {
                try await ContainerUpdateStepRecord(runID: run, sequence: last + 1, entry: entry).create(on: db)
                return
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 2 {
                continue
            }
        }
    }

    /// Ends the run once: a second call (a resume finishing a run the engine already ended) leaves
    /// the first outcome in place.
    public func finish(run: UUID, state: UpdateRunState, summary: String, at: Date) async throws {
        guard state.isFinal else { throw UpdateRunError.notFinal(state) }
        _ = try await find(run)
        try await ContainerUpdateRunRecord.query(on: database()).filter(\.$id == run).filter(\.$state ~~ Self.activeStates)
            .set(\.$state, to: state.rawValue).set(\.$summary, to: summary).set(\.$finishedAt, to: at)
            .set(\.$activeContainerID, to: nil).update()
    }

    public func unfinished() async throws -> [UpdateRunSnapshot] {
        let rows = try await ContainerUpdateRunRecord.query(on: database()).filter(\.$state == UpdateRunState.running.rawValue)
            .sort(\.$startedAt).all()
        var snapshots: [UpdateRunSnapshot] = []
        for row in rows { snapshots.append(try await snapshot(row)) }
        return snapshots
    }

    // MARK: reading runs back (the app's API and pages)

    public func snapshot(_ row: ContainerUpdateRunRecord) async throws -> UpdateRunSnapshot {
        let id = try row.requireID()
        return UpdateRunSnapshot(id: id, request: row.request, state: row.runState ?? .failed, facts: row.facts,
                                 steps: try await steps(of: id).compactMap(\.entry))
    }

    public func steps(of run: UUID) async throws -> [ContainerUpdateStepRecord] {
        try await ContainerUpdateStepRecord.query(on: database()).filter(\.$runID == run).sort(\.$sequence).all()
    }

    /// The container's active run, if any.
    public func activeRun(containerID: UUID) async throws -> ContainerUpdateRunRecord? {
        try await ContainerUpdateRunRecord.query(on: database()).filter(\.$activeContainerID == containerID).first()
    }

    /// Takes over a running run for this replica (a resume) unless someone claimed it since `row` was
    /// read: a compare-and-set on `claim_token`, so two replicas starting together resume it once.
    public func claim(_ row: ContainerUpdateRunRecord, at now: Date) async throws -> Bool {
        let id = try row.requireID()
        let token = UUID().uuidString
        let query = ContainerUpdateRunRecord.query(on: database()).filter(\.$id == id).filter(\.$state == UpdateRunState.running.rawValue)
        if let previous = row.claimToken { query.filter(\.$claimToken == previous) } else { query.filter(\.$claimToken == nil) }
        try await query.set(\.$claimToken, to: token).set(\.$ownerReplica, to: replica).set(\.$heartbeatAt, to: now).update()
        return try await ContainerUpdateRunRecord.find(id, on: database())?.claimToken == token
    }

    private func find(_ run: UUID) async throws -> ContainerUpdateRunRecord {
        guard let row = try await ContainerUpdateRunRecord.find(run, on: database()) else { throw UpdateRunError.unknownRun(run) }
        return row
    }

    private static func firstRepoDigest(_ container: ContainerRecord) -> String? {
        guard let list = try? JSONDecoder().decode([String].self, from: Data(container.repoDigestsJSON.utf8)),
              let first = list.first, let at = first.firstIndex(of: "@") else { return nil }
        return String(first[first.index(after: at)...])
    }
}
