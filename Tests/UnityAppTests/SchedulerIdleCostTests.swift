import Fluent
import Foundation
import SQLKit
import NIOConcurrencyHelpers
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The idle scheduler's cost follows the work that is due, not its tick (issue 13 §0: it made about
/// 13 lease queries a second per replica and kept every finished child task, growing without bound).
@Suite struct SchedulerIdleCostTests {
    /// Every registered task's lease is due in an hour: nothing to do.
    private func postponeEveryTask(_ app: Application) async throws {
        for task in app.unity.tasks.all {
            try await TaskLease(task: task.name, nextDueAt: Date().addingTimeInterval(3600)).create(on: app.db)
        }
    }

    /// Statements that read `task_leases`, as PostgreSQL's own statistics count them (a real count
    /// of what reached the database, not the scheduler's opinion of it).
    private func leaseScans(_ app: Application) async throws -> Int {
        let sql = try #require(app.db as? any SQLDatabase)
        // The server publishes a backend's counts when it goes idle, at most once a second.
        try await Task.sleep(for: .seconds(1.5))
        _ = try await sql.raw("SELECT pg_stat_clear_snapshot()").all()
        let row = try #require(try await sql.raw("""
            SELECT (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int AS scans
            FROM pg_stat_user_tables WHERE relname = 'task_leases'
            """).first())
        return try row.decode(column: "scans", as: Int.self)
    }

    @Test(.enabled(if: TestDatabase.available.contains(.postgres)))
    func idleTicksDoNotQueryEveryLease() async throws {
        try await withUnityReplicas(1, database: .postgres) { apps in
            let app = apps[0]
            try await postponeEveryTask(app)
            let before = try await leaseScans(app)
            let scheduler = Scheduler(tick: .milliseconds(10))
            try await scheduler.didBootAsync(app)
            try await Task.sleep(for: .seconds(3))
            await scheduler.shutdownAsync(app)
            // 300 ticks of 10 ms with every task not due: one read of all leases at start, and one
            // per idle check (5 s) at most; the old loop made one per task per tick (about 3,900).
            let scans = try await leaseScans(app) - before
            #expect(scans <= 3, "task_leases reads in 3 s idle: \(scans) for \(app.unity.tasks.all.count) tasks")
        }
    }

    @Test func idleTicksStartNoChildTasksAndDueRunsEnd() async throws {
        try await withUnityReplicas(1, database: .sqlite) { apps in
            let app = apps[0]
            try await postponeEveryTask(app)
            let ran = NIOLockedValueBox(0)
            app.unity.tasks.register(ScheduledTask(name: "test-due", summary: "test task", interval: 0.5) { _ in
                ran.withLockedValue { $0 += 1 }
                return "ran"
            })
            let scheduler = Scheduler(tick: .milliseconds(10), idleCheck: .milliseconds(200))
            try await scheduler.didBootAsync(app)
            try await Task.sleep(for: .seconds(2.2))
            let live = scheduler.probe.liveChildren
            await scheduler.shutdownAsync(app)
            // Only due runs start a child (about 5 in 2.2 s), never one per task per tick (≈ 3000).
            let runs = ran.withLockedValue { $0 }
            #expect((3...6).contains(runs), "runs: \(runs)")
            #expect(scheduler.probe.childrenStarted == runs)
            #expect(live <= 1)
            #expect(scheduler.probe.liveChildren == 0)
            // Wake-ups follow the due times (every 0.5 s) and the 200 ms idle check, not the 10 ms tick.
            #expect(scheduler.probe.leaseReads <= 25, "lease reads: \(scheduler.probe.leaseReads)")
        }
    }

    /// Another replica (or `unity task run`) may move a due time; the sleeping loop sees it within its idle check.
    @Test func aLeaseMadeDueElsewhereIsNoticedWithinTheIdleCheck() async throws {
        try await withUnityReplicas(1, database: .sqlite) { apps in
            let app = apps[0]
            try await postponeEveryTask(app)
            let ran = NIOLockedValueBox<Date?>(nil)
            app.unity.tasks.register(ScheduledTask(name: "test-moved", summary: "test task", interval: 3600) { _ in
                ran.withLockedValue { $0 = Date() }
                return "ran"
            })
            try await TaskLease(task: "test-moved", nextDueAt: Date().addingTimeInterval(3600)).create(on: app.db)
            let scheduler = Scheduler(tick: .milliseconds(10), idleCheck: .seconds(1))
            try await scheduler.didBootAsync(app)
            try await Task.sleep(for: .milliseconds(300))
            let moved = Date()
            try await TaskLease.query(on: app.db).filter(\.$id == "test-moved").set(\.$nextDueAt, to: moved).update()
            try await Task.sleep(for: .seconds(1.6))
            await scheduler.shutdownAsync(app)
            let at = try #require(ran.withLockedValue { $0 })
            #expect(at.timeIntervalSince(moved) < 1.5)
        }
    }
}
