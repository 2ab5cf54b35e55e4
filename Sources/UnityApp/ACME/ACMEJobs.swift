import Fluent
import Foundation
import Vapor

/// Issuance and renewal run in the background: a CA may take minutes (DNS propagation, queued
/// validations), and a browser or script should not hold a request open for that. The attempt
/// row tells the API and the UI where it is and how it ended.
enum ACMEJobs {
    /// Starts an attempt for the order unless one is running; 409 if one is.
    static func start(_ order: ACMEOrderRecord, trigger: String, application: Application, db: any Database) async throws -> ACMEAttemptRecord {
        let orderID = try order.requireID()
        let jobs = application.unity.jobs
        let attempt = try await claim(orderID, trigger: trigger, ownership: jobs.ownership, on: db)
        let attemptID = try attempt.requireID()
        let database = application.db, logger = application.logger
        // The job outlives the request, and works on its own copies of the rows: the request is
        // still encoding `order` and `attempt` for its 202 answer.
        await jobs.start(ACMEAttemptKind(), id: attemptID) {
            do {
                guard let order = try await ACMEOrderRecord.find(orderID, on: database),
                      let attempt = try await ACMEAttemptRecord.find(attemptID, on: database) else { return }
                try await ACMEIssuer.attempt(order, attempt: attempt, application: application, db: database)
            } catch {
                logger.warning("ACME \(trigger) of order \(orderID) failed: \(ACMEIssuer.describe(error))")
            }
        }
        return attempt
    }

    /// Records a running attempt owned by this replica, or 409 if one runs. A unique index on
    /// running attempts per order makes this atomic across requests and replicas (migration 019).
    static func claim(_ orderID: UUID, trigger: String, ownership: JobOwnership, on db: any Database) async throws -> ACMEAttemptRecord {
        if let running = try await running(orderID, ownership: ownership, on: db) { throw busy(running) }
        let attempt = ACMEAttemptRecord(orderID: orderID, trigger: trigger, owner: ownership.replica)
        do {
            try await attempt.create(on: db)
        } catch {
            if let running = try await running(orderID, ownership: ownership, on: db) { throw busy(running) }
            throw error
        }
        return attempt
    }

    private static func busy(_ running: ACMEAttemptRecord) -> APIError {
        APIError.conflict("an attempt for this certificate is already running (started \(running.startedAt.formatted(.iso8601)))")
    }

    /// The running attempt of an order, after marking abandoned ones (their replica is gone or
    /// silent, see `JobOwnership`) as interrupted, so a crash never blocks an order for good.
    static func running(_ orderID: UUID, ownership: JobOwnership, on db: any Database, now: Date = Date()) async throws -> ACMEAttemptRecord? {
        let rows = try await ACMEAttemptRecord.query(on: db).filter(\.$orderID == orderID)
            .filter(\.$outcome == ACMEAttemptRecord.Outcome.running.rawValue).all()
        var live: ACMEAttemptRecord?
        for row in rows {
            if let reason = ownership.abandonedReason(try ACMEAttemptKind.row(row), now: now, atStart: false) {
                try await ACMEAttemptKind().interrupt([try row.requireID()], reason: reason, at: now, on: db)
            } else {
                live = row
            }
        }
        return live
    }

    /// Finished attempts kept per order: years of renewals, or weeks of a daily retried failure.
    static let keptPerOrder = 50

    /// Deletes an order's finished attempts beyond the newest `keep`; running ones are never touched.
    static func prune(_ orderID: UUID, keep: Int = keptPerOrder, on db: any Database) async throws {
        let finished = try await ACMEAttemptRecord.query(on: db).filter(\.$orderID == orderID)
            .filter(\.$outcome != ACMEAttemptRecord.Outcome.running.rawValue)
            .sort(\.$startedAt, .descending).all(\.$id)
        // SQLite takes no OFFSET without LIMIT; at most a few rows past the bound are read.
        let beyond = Array(finished.dropFirst(keep))
        guard !beyond.isEmpty else { return }
        try await ACMEAttemptRecord.query(on: db).filter(\.$id ~~ beyond).delete()
    }

    static func latest(_ orderIDs: [UUID], ownership: JobOwnership, on db: any Database) async throws -> [UUID: ACMEAttemptRecord] {
        guard !orderIDs.isEmpty else { return [:] }
        let rows = try await ACMEAttemptRecord.query(on: db).filter(\.$orderID ~~ orderIDs).sort(\.$startedAt, .descending).all()
        var latest: [UUID: ACMEAttemptRecord] = [:]
        for row in rows where latest[row.orderID] == nil { latest[row.orderID] = row }
        // A page following an attempt that a stopped process left behind must stop refreshing.
        for (orderID, row) in latest where row.outcome == ACMEAttemptRecord.Outcome.running.rawValue {
            if try await running(orderID, ownership: ownership, on: db) == nil, let ended = try await ACMEAttemptRecord.find(row.id, on: db) {
                latest[orderID] = ended
            }
        }
        return latest
    }
}
