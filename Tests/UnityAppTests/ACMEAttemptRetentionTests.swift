import Fluent
import Foundation
import Testing
import UnityTestSupport
@testable import UnityApp

/// Attempt history is bounded per order: the newest finished attempts stay, a running one is
/// never deleted, and other orders' history is untouched.
struct ACMEAttemptRetentionTests {
    @Test(arguments: TestDatabase.available)
    func pruningKeepsTheNewestFinishedAttemptsAndTheRunningOne(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let order = UUID(), other = UUID()
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for day in 0..<8 {
                let attempt = ACMEAttemptRecord(orderID: order, trigger: "task", now: start.addingTimeInterval(Double(day) * 86_400))
                attempt.outcome = day.isMultiple(of: 2) ? "failed" : "succeeded"
                attempt.finishedAt = attempt.startedAt.addingTimeInterval(30)
                try await attempt.create(on: app.db)
            }
            let running = ACMEAttemptRecord(orderID: order, trigger: "renew", now: start)
            try await running.create(on: app.db)
            for day in 0..<4 {
                let attempt = ACMEAttemptRecord(orderID: other, trigger: "task", now: start.addingTimeInterval(Double(day) * 86_400))
                attempt.outcome = "succeeded"
                try await attempt.create(on: app.db)
            }

            try await ACMEJobs.prune(order, keep: 3, on: app.db)

            let left = try await ACMEAttemptRecord.query(on: app.db).filter(\.$orderID == order).sort(\.$startedAt, .descending).all()
            let finished = left.filter { $0.outcome != "running" }
            #expect(finished.map(\.startedAt) == (5..<8).reversed().map { start.addingTimeInterval(Double($0) * 86_400) })
            #expect(left.contains { $0.id == running.id }, "a running attempt is never pruned")
            #expect(try await ACMEAttemptRecord.query(on: app.db).filter(\.$orderID == other).count() == 4)
            // Nothing beyond the bound: a second prune deletes nothing.
            try await ACMEJobs.prune(order, keep: 3, on: app.db)
            #expect(try await ACMEAttemptRecord.query(on: app.db).filter(\.$orderID == order).count() == 4)
        }
    }
}
