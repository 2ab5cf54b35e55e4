import Fluent
import Foundation
import UnityContainers
import UnityCore
import Vapor

/// Starting, running and resuming update runs. The app owns the run's beginning: it records the run
/// (one active per container), asks the preflight and ends the run itself when the policy says not
/// now, never or ask first; otherwise the update engine takes over on the tracked job runner and
/// writes every line from `pull` on.
enum ContainerUpdateRuns {
    /// Records the run and its preflight; when the preflight lets it through, the engine's work is
    /// started in the background. Returns the run id: the run is final already when preflight stopped it.
    static func start(_ request: UpdateRequest, application: Application) async throws -> UUID {
        let journal = application.containerUpdateJournal
        let parts = application.containerUpdateApply
        let clock = parts.clock
        let now = clock.now()
        let runID = try await journal.begin(request, at: now)
        try await journal.append(UpdateStepEntry(step: .preflight, outcome: .started, detail: "asking the update policy", at: now), run: runID)
        let verdict: UpdatePreflightVerdict
        do {
            verdict = try await parts.preflight.check(request, at: now)
        } catch {
            try await end(runID, step: .failed, state: .failed, "preflight failed: \(error)", journal: journal, at: clock.now())
            return runID
        }
        switch verdict {
        case .deferred(let reason, let until):
            let when = until.map { " (until \($0.formatted(.iso8601)))" } ?? ""
            try await end(runID, step: .skipped, state: .deferred, "deferred: \(reason)\(when)", journal: journal, at: clock.now())
        case .refused(let reason):
            try await end(runID, step: .skipped, state: .refused, "refused: \(reason)", journal: journal, at: clock.now())
        case .needsApproval(let reason):
            try await end(runID, step: .skipped, state: .needsApproval, "needs approval: \(reason)", journal: journal, at: clock.now())
        case .proceed(let options):
            try await journal.append(UpdateStepEntry(step: .preflight, outcome: .succeeded, detail: describe(options), at: clock.now()), run: runID)
            await runInBackground(runID, hostID: request.hostID, resuming: false, application: application) { applier in
                await applier.apply(request, options: options, run: runID, journal: journal, backups: parts.backups)
            }
        }
        return runID
    }

    /// What the engine was asked to do, as the preflight line says it.
    static func describe(_ options: UpdateApplyOptions) -> String {
        let gate = options.healthGate
        return "proceed: backup \(options.requireBackup ? "yes" : "no"); health gate: healthy within \(gate.healthyTimeoutSeconds) s "
            + "with a HEALTHCHECK, else stable for \(gate.stableSeconds) s"
    }

    private static func end(_ runID: UUID, step outcome: UpdateStepOutcome, state: UpdateRunState, _ summary: String,
                            journal: DatabaseUpdateJournal, at now: Date) async throws {
        try await journal.append(UpdateStepEntry(step: .preflight, outcome: outcome, detail: summary, at: now), run: runID)
        try await journal.finish(run: runID, state: state, summary: summary, at: now)
    }

    /// Runs the engine's work for one run as a tracked job. A host whose engine cannot be reached
    /// ends the run `failed` (the engine touched nothing); an engine that returns a final state
    /// without ending the run has it ended here.
    static func runInBackground(_ runID: UUID, hostID: UUID, resuming: Bool, application: Application,
                                _ work: @escaping @Sendable (any ContainerUpdateApplying) async -> UpdateRunState) async {
        let journal = application.containerUpdateJournal
        let parts = application.containerUpdateApply
        let logger = application.logger
        await application.unity.jobs.start(ContainerUpdateRunKind(), id: runID) {
            let state: UpdateRunState
            var summary = "the update engine returned without ending the run"
            do {
                let applier = try await parts.applier(hostID)
                state = await work(applier)
            } catch {
                state = .failed
                summary = resuming
                    ? "Unity restarted during this update and could not reach the host's update engine to finish it (\(error)); "
                        + "the journal shows the last step: check the container"
                    : "the update engine of the host could not be reached (\(error)); nothing was changed"
                logger.warning("update run could not start", metadata: ["run": "\(runID)", "error": "\(error)"])
            }
            // Cancelled by shutdown, or the engine stopped like a killed process (its journal stopped
            // storing lines): the run stays `running`, released by the runner, for the next resume.
            if Task.isCancelled || !state.isFinal { return }
            do {
                if try await ContainerUpdateRunRecord.find(runID, on: application.db)?.activeContainerID != nil {
                    try await journal.finish(run: runID, state: state, summary: summary, at: application.containerUpdateApply.clock.now())
                }
            } catch {
                logger.warning("update run could not be ended", metadata: ["run": "\(runID)", "error": "\(error)"])
            }
            if state == .succeeded { await followReplacement(runID, application: application) }
        }
    }

    /// After a successful update the engine runs a new container (a new engine id) under the old
    /// name. The inventory row takes the new id, so the next discovery refreshes the same row and the
    /// container keeps its Unity id, its update history and its settings; then the host is discovered.
    static func followReplacement(_ runID: UUID, application: Application) async {
        let db = application.db
        do {
            guard let run = try await ContainerUpdateRunRecord.find(runID, on: db), let newID = run.facts.newContainerID,
                  let row = try await ContainerRecord.find(run.containerID, on: db), row.engineID != newID else { return }
            // A discovery during the run may have recorded the new container already: keep that row.
            let taken = try await ContainerRecord.query(on: db).filter(\.$hostID == row.hostID).filter(\.$engineID == newID)
                .filter(\.$removedAt == nil).count() > 0
            if !taken {
                row.engineID = newID
                try await row.update(on: db)
            }
            if let host = try await ContainerHostRecord.find(row.hostID, on: db) {
                try await ContainerDiscovery.run(host, application: application, database: db)
            }
        } catch {
            application.logger.notice("inventory not refreshed after update run", metadata: ["run": "\(runID)", "error": "\(error)"])
        }
    }

    /// At start, before new work: every run a stopped process left `running` (its owner gone, silent,
    /// released, or — `atStart` only — this replica's predecessor) is claimed by this replica and
    /// handed to the engine's `resume`. A run another live replica works on is left alone; a claim is
    /// a compare-and-set, so two replicas starting together resume a run once. Later (a sweep's
    /// hand-over) this replica's own rows are its live runs, never resumed.
    @discardableResult
    static func resumeUnfinished(application: Application, atStart: Bool) async -> [UUID] {
        let now = application.containerUpdateApply.clock.now()
        let journal = application.containerUpdateJournal
        let jobs = application.unity.jobs
        let ownership = jobs.ownership
        let mine = Set(await jobs.running.filter { $0.kind == ContainerUpdateRunKind().name }.map(\.id))
        var resumed: [UUID] = []
        do {
            let rows = try await ContainerUpdateRunRecord.query(on: application.db).filter(\.$state == UpdateRunState.running.rawValue)
                .sort(\.$startedAt).all()
            for row in rows {
                let id = try row.requireID()
                guard !mine.contains(id) else { continue }
                let abandoned = ownership.abandonedReason(try ContainerUpdateRunKind.row(row), now: now, atStart: atStart) != nil
                // No owner: released by a sweep or a shutdown, waiting for exactly this.
                guard row.ownerReplica == nil || abandoned else { continue }
                guard try await journal.claim(row, at: now), let claimed = try await ContainerUpdateRunRecord.find(id, on: application.db) else { continue }
                let snapshot = try await journal.snapshot(claimed)
                let backups = application.containerUpdateApply.backups
                application.logger.notice("resuming update run", metadata: ["run": "\(id)", "container": "\(row.containerName)",
                                                                           "last_step": "\(snapshot.lastStep?.step.rawValue ?? "none")"])
                await runInBackground(id, hostID: row.hostID, resuming: true, application: application) { applier in
                    await applier.resume(snapshot, journal: journal, backups: backups)
                }
                resumed.append(id)
            }
        } catch {
            application.logger.warning("update runs could not be resumed", metadata: ["error": "\(error)"])
        }
        return resumed
    }
}

/// Hands unfinished runs to the engine when the application boots under `serve`, before it
/// answers requests (Vapor boots before the server starts listening). Until then the runner's sweeps
/// only release runs (`booted` is false): the update parts are wired after `configure`'s first sweep.
struct ContainerUpdateResumeAtStart: LifecycleHandler {
    let booted: LockedValue<Bool>

    func didBootAsync(_ application: Application) async throws {
        booted.withLock { $0 = true }
        await ContainerUpdateRuns.resumeUnfinished(application: application, atStart: true)
    }
}
