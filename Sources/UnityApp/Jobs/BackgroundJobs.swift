import Fluent
import Foundation
import UnityCore
import Vapor

/// The one runner for work that outlives a request (key distributions, ACME attempts, and later
/// container updates). It keeps every job's task, so shutdown can cancel and await them; it keeps
/// their rows' heartbeats fresh, so another replica can tell a live job from an abandoned one; and
/// it marks abandoned rows `interrupted` with a reason, at start and while it runs.
actor BackgroundJobs {
    struct Key: Hashable, Sendable {
        var kind: String
        var id: UUID
    }

    let ownership: JobOwnership
    private let kinds: [any TrackedJobKind]
    private let database: @Sendable () -> any Database
    private let logger: Logger
    private let heartbeatInterval: Duration
    private var jobs: [Key: Task<Void, Never>] = [:]
    private var heartbeat: Task<Void, Never>?
    private var stopping = false

    static let shutdownReason = "Unity shut down before this job finished"

    init(replica: String, kinds: [any TrackedJobKind], database: @escaping @Sendable () -> any Database, logger: Logger,
         heartbeatInterval: Duration = .seconds(10), staleAfter: TimeInterval = 60) {
        self.ownership = JobOwnership(replica: replica, staleAfter: staleAfter)
        self.kinds = kinds
        self.database = database
        self.logger = logger
        self.heartbeatInterval = heartbeatInterval
    }

    /// The ids of the jobs this process runs now.
    var running: [Key] { Array(jobs.keys) }

    /// Runs `body` in the background as the job `id` of `kind`, whose row the caller has created
    /// `running` and owned by this replica. When the body returns without recording an outcome (or
    /// was cancelled by shutdown), the row ends `interrupted`, never `running` for good.
    @discardableResult
    func start(_ kind: any TrackedJobKind, id: UUID, _ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let key = Key(kind: kind.name, id: id)
        if stopping {
            let database = self.database
            return Task { try? await kind.interrupt([id], reason: Self.shutdownReason, at: Date(), on: database()) }
        }
        let task = Task {
            await body()
            await self.finished(key, kind: kind, cancelled: Task.isCancelled)
        }
        jobs[key] = task
        if heartbeat == nil { heartbeat = Task { await self.beatWhileRunning() } }
        return task
    }

    /// Starts the job unless one of that kind and id runs already (a long-lived watch per host);
    /// false when it does.
    @discardableResult
    func startUnlessRunning(_ kind: any TrackedJobKind, id: UUID, _ body: @escaping @Sendable () async -> Void) -> Bool {
        guard jobs[Key(kind: kind.name, id: id)] == nil else { return false }
        start(kind, id: id, body)
        return true
    }

    /// Cancels one job and waits until its body returned.
    func cancel(_ kind: any TrackedJobKind, id: UUID) async {
        guard let task = jobs[Key(kind: kind.name, id: id)] else { return }
        task.cancel()
        await task.value
    }

    private func finished(_ key: Key, kind: any TrackedJobKind, cancelled: Bool) async {
        jobs[key] = nil
        let reason = cancelled ? Self.shutdownReason : "the job ended without recording an outcome"
        do {
            try await kind.interrupt([key.id], reason: reason, at: Date(), on: database())
        } catch {
            logger.warning("background job could not be closed", metadata: ["kind": "\(key.kind)", "id": "\(key.id)", "error": "\(error)"])
        }
    }

    private func beatWhileRunning() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: heartbeatInterval)
            guard await beat() else { return }
        }
    }

    /// One heartbeat for every job this process runs, then a sweep of other replicas' abandoned
    /// rows. Returns false (and stops the loop) once no job runs.
    private func beat() async -> Bool {
        guard !jobs.isEmpty, !stopping else {
            heartbeat = nil
            return false
        }
        let now = Date()
        for kind in kinds {
            let ids = jobs.keys.filter { $0.kind == kind.name }.map(\.id)
            guard !ids.isEmpty else { continue }
            do {
                try await kind.heartbeat(ids, owner: ownership.replica, at: now, on: database())
            } catch {
                logger.warning("background job heartbeat failed", metadata: ["kind": "\(kind.name)", "error": "\(error)"])
            }
        }
        await sweep(atStart: false)
        return true
    }

    /// Marks rows whose owner is gone as interrupted. At start (before any job runs) rows naming
    /// this replica are abandoned too; later they are this process's own.
    func sweep(atStart: Bool) async {
        for kind in kinds { await sweep(kind, atStart: atStart) }
    }

    func sweep(_ kind: any TrackedJobKind, atStart: Bool = false) async {
        let now = Date()
        do {
            let db = database()
            for row in try await kind.runningRows(on: db) where jobs[Key(kind: kind.name, id: row.id)] == nil {
                guard let reason = ownership.abandonedReason(row, now: now, atStart: atStart) else { continue }
                try await kind.interrupt([row.id], reason: reason, at: now, on: db)
                logger.notice("background job interrupted", metadata: ["kind": "\(kind.name)", "id": "\(row.id)", "reason": "\(reason)"])
            }
        } catch {
            logger.warning("background job sweep failed", metadata: ["kind": "\(kind.name)", "error": "\(error)"])
        }
    }

    /// Cancels every job and waits for them up to `bound`; what did not finish by then is marked
    /// interrupted, so the next start (here or on another replica) does not wait for a heartbeat.
    func shutdown(within bound: Duration = .seconds(10)) async {
        stopping = true
        heartbeat?.cancel()
        heartbeat = nil
        let running = jobs
        guard !running.isEmpty else { return }
        logger.info("stopping background jobs", metadata: ["count": "\(running.count)"])
        for task in running.values { task.cancel() }
        // A task group would wait for its children even after the bound; two watchers racing for
        // one continuation let the bound win while stuck jobs keep winding down.
        let tasks = Array(running.values)
        let allDone: Bool = await withCheckedContinuation { continuation in
            let resumed = LockedValue(false)
            let resume: @Sendable (Bool) -> Void = { value in
                if resumed.withLock({ done in defer { done = true }; return !done }) { continuation.resume(returning: value) }
            }
            Task {
                for task in tasks { await task.value }
                resume(true)
            }
            Task {
                try? await Task.sleep(for: bound)
                resume(false)
            }
        }
        guard !allDone else { return }
        let now = Date()
        for kind in kinds {
            let ids = jobs.keys.filter { $0.kind == kind.name }.map(\.id)
            guard !ids.isEmpty else { continue }
            try? await kind.interrupt(ids, reason: Self.shutdownReason, at: now, on: database())
        }
    }
}

/// Cancels and awaits the background jobs when the application stops. Registered after the SSH
/// and alert handlers, so it runs before them (Vapor shuts handlers down in reverse order) and the
/// jobs can still use both while they wind down.
struct BackgroundJobsShutdown: LifecycleHandler {
    let jobs: BackgroundJobs

    func shutdownAsync(_ application: Application) async { await jobs.shutdown() }
}
