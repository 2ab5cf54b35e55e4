import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Records each run of a test task, and whether two runs ever overlapped.
private final class RunLog: Sendable {
    private let state = NIOLockedValueBox<(starts: [(Date, String)], active: Int, overlapped: Bool)>(([], 0, false))

    func task(name: String, interval: TimeInterval, replica: String, work: Duration = .milliseconds(300)) -> ScheduledTask {
        ScheduledTask(name: name, summary: "test task", interval: interval) { _ in
            self.state.withLockedValue { state in
                state.starts.append((Date(), replica))
                state.active += 1
                if state.active > 1 { state.overlapped = true }
            }
            try? await Task.sleep(for: work)
            self.state.withLockedValue { $0.active -= 1 }
            return "ran on \(replica)"
        }
    }

    var starts: [(Date, String)] { state.withLockedValue { $0.starts } }
    var overlapped: Bool { state.withLockedValue { $0.overlapped } }
}

@Suite struct SchedulerTests {
    /// Two replicas on one database, a 1-second task, 6 seconds: one run per interval in total,
    /// never two at once. (`scripts/two-replicas.sh` does the same with two real `unity serve`
    /// processes, a 10-second interval and two minutes.)
    @Test(arguments: TestDatabase.available)
    func twoReplicasRunEachDueRunExactlyOnce(database: TestDatabase) async throws {
        try await withUnityReplicas(2, database: database) { apps in
            let log = RunLog()
            for app in apps { app.unity.tasks.register(log.task(name: "test-tick", interval: 1, replica: app.unity.replicaID)) }
            let schedulers = apps.map { _ in Scheduler(tick: .milliseconds(100)) }
            for (app, scheduler) in zip(apps, schedulers) { try await scheduler.didBootAsync(app) }
            try await Task.sleep(for: .seconds(6.2))
            for (app, scheduler) in zip(apps, schedulers) { await scheduler.shutdownAsync(app) }

            let starts = log.starts.map(\.0).sorted()
            // One run per due slot: ~6 in 6.2 s. A starved machine may start a slot late (then the
            // next one follows at its own due time, closer than 1 s) or skip one; it never runs a
            // slot twice or two runs at once.
            #expect((5...7).contains(starts.count), "runs: \(starts.count)")
            #expect(!log.overlapped)
            let recorded = try await TaskRun.query(on: apps[0].db).filter(\.$task == "test-tick").all()
            #expect(recorded.count == starts.count)
            #expect(recorded.allSatisfy { $0.status == "succeeded" && $0.trigger == "schedule" })
        }
    }

    /// A replica that died holding the lease blocks the task only until the lease expires.
    @Test func anAbandonedLeaseExpires() async throws {
        try await withUnityReplicas(1, database: .sqlite) { apps in
            let app = apps[0]
            let log = RunLog()
            app.unity.tasks.register(log.task(name: "test-orphan", interval: 60, replica: "live"))
            let ghost = TaskLease(task: "test-orphan", nextDueAt: Date().addingTimeInterval(-1))
            ghost.owner = "crashed-replica"
            ghost.leaseUntil = Date().addingTimeInterval(1.5)
            try await ghost.create(on: app.db)
            let scheduler = Scheduler(tick: .milliseconds(100))
            let started = Date()
            try await scheduler.didBootAsync(app)
            try await Task.sleep(for: .seconds(2.5))
            await scheduler.shutdownAsync(app)
            let first = try #require(log.starts.first?.0)
            #expect(first.timeIntervalSince(started) >= 1.3)
            #expect(log.starts.count == 1)
        }
    }

    @Test func runNowRefusesWhileRunningAndRecordsHistory() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let operatorToken = try await client.user(.operator, adminToken: try await client.login("admin", TestClient.adminPassword)).token
            let log = RunLog()
            app.unity.tasks.register(log.task(name: "test-slow", interval: 3600, replica: "r", work: .seconds(1)))
            async let first = client.send(.POST, "/api/v1/tasks/test-slow/run", token: operatorToken)
            try await Task.sleep(for: .milliseconds(300))
            let second = try await client.send(.POST, "/api/v1/tasks/test-slow/run", token: operatorToken)
            #expect(second.status == .conflict)
            let firstResponse = try await first
            #expect(firstResponse.status == .ok)
            #expect(firstResponse.json["status"] as? String == "succeeded")
            #expect(firstResponse.json["trigger"] as? String == "manual")

            let tasks = try await client.send(.GET, "/api/v1/tasks", token: operatorToken)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(tasks.body.utf8)) as? [[String: Any]])
            let slow = try #require(body.first { $0["name"] as? String == "test-slow" })
            #expect((slow["last_run"] as? [String: Any])?["summary"] as? String == "ran on r")
            #expect(Set(body.compactMap { $0["name"] as? String }).isSuperset(of: ["audit-retention", "token-cleanup", "task-history-retention"]))
            let runs = try await client.send(.GET, "/api/v1/tasks/test-slow/runs", token: operatorToken)
            #expect(runs.json["total"] as? Int == 1)
        }
    }

    @Test func intervalsCanBeOverriddenPerTask() async throws {
        try await withUnityApp(settings: ["UNITY_TASK_AUDIT_RETENTION_INTERVAL": "120"]) { app in
            #expect(app.unity.tasks.task(named: "audit-retention")?.interval == 120)
            #expect(app.unity.tasks.task(named: "token-cleanup")?.interval == 3600)
        }
    }
}
