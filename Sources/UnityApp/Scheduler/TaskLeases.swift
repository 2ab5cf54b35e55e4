import Fluent
import UnityCore
import Vapor

/// Claims and releases a task's lease. A claim is a compare-and-set on the lease row's version, so
/// among several replicas exactly one wins each due run, on SQLite and PostgreSQL alike. A replica
/// that dies mid-run stops renewing, and its lease simply expires.
enum TaskLeases {
    static let leaseDuration: TimeInterval = 60

    enum Claim: Equatable {
        case claimed(version: Int)
        case notDue
        case busy
    }

    /// Every lease by task name, in one query: the scheduler's whole idle cost per wake-up.
    static func all(on database: any Database) async throws -> [String: TaskLease] {
        var leases: [String: TaskLease] = [:]
        for lease in try await TaskLease.query(on: database).all() {
            if let name = lease.id { leases[name] = lease }
        }
        return leases
    }

    static func ensure(_ task: ScheduledTask, on database: any Database, now: Date) async throws -> TaskLease {
        if let lease = try await TaskLease.find(task.name, on: database) { return lease }
        // First sight of the task: a random phase within its jitter spreads tasks apart.
        let lease = TaskLease(task: task.name, nextDueAt: now.addingTimeInterval(task.jitter * Double.random(in: 0...1)))
        do {
            try await lease.create(on: database)
            return lease
        } catch {
            // Another replica created it first.
            guard let existing = try await TaskLease.find(task.name, on: database) else { throw error }
            return existing
        }
    }

    static func claim(_ task: ScheduledTask, replica: String, manual: Bool, on database: any Database, now: Date = Date()) async throws -> Claim {
        let lease = try await ensure(task, on: database, now: now)
        if let until = lease.leaseUntil, until > now, lease.owner != nil { return .busy }
        if !manual, lease.nextDueAt > now { return .notDue }
        // Keep the cadence: the next run is one interval after the one that was due, not after
        // whenever this loop happened to notice it. Missed runs are not caught up.
        var next = lease.nextDueAt.addingTimeInterval(task.interval)
        if next <= now { next = now.addingTimeInterval(task.interval) }
        if manual { next = lease.nextDueAt }
        let version = lease.version
        try await TaskLease.query(on: database)
            .filter(\.$id == task.name).filter(\.$version == version)
            .set(\.$version, to: version + 1)
            .set(\.$owner, to: replica)
            .set(\.$leaseUntil, to: now.addingTimeInterval(leaseDuration))
            .set(\.$nextDueAt, to: next)
            .update()
        guard let after = try await TaskLease.find(task.name, on: database),
              after.version == version + 1, after.owner == replica else { return .busy }
        return .claimed(version: version + 1)
    }

    static func renew(_ task: String, replica: String, on database: any Database) async throws {
        try await TaskLease.query(on: database)
            .filter(\.$id == task).filter(\.$owner == replica)
            .set(\.$leaseUntil, to: Date().addingTimeInterval(leaseDuration))
            .update()
    }

    static func release(_ task: String, replica: String, runID: UUID?, on database: any Database) async throws {
        guard let lease = try await TaskLease.find(task, on: database), lease.owner == replica else { return }
        try await TaskLease.query(on: database)
            .filter(\.$id == task).filter(\.$owner == replica)
            .set(\.$owner, to: nil)
            .set(\.$leaseUntil, to: nil)
            .set(\.$version, to: lease.version + 1)
            .set(\.$lastRunID, to: runID)
            .update()
    }
}
