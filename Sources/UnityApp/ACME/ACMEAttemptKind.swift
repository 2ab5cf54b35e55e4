import Fluent
import Foundation

/// ACME attempts as the background runner sees them; the reason of an interruption goes where
/// the CA's words on a failure go (`error`).
struct ACMEAttemptKind: TrackedJobKind {
    var name: String { "acme_attempt" }

    private var runningValue: String { ACMEAttemptRecord.Outcome.running.rawValue }

    func runningRows(on database: any Database) async throws -> [TrackedJobRow] {
        try await ACMEAttemptRecord.query(on: database).filter(\.$outcome == runningValue).all().map(Self.row)
    }

    static func row(_ attempt: ACMEAttemptRecord) throws -> TrackedJobRow {
        TrackedJobRow(id: try attempt.requireID(), owner: attempt.ownerReplica, heartbeatAt: attempt.heartbeatAt, startedAt: attempt.startedAt)
    }

    func heartbeat(_ ids: [UUID], owner: String, at date: Date, on database: any Database) async throws {
        try await ACMEAttemptRecord.query(on: database).filter(\.$id ~~ ids).filter(\.$outcome == runningValue)
            .set(\.$ownerReplica, to: owner).set(\.$heartbeatAt, to: date).update()
    }

    func interrupt(_ ids: [UUID], reason: String, at date: Date, on database: any Database) async throws {
        try await ACMEAttemptRecord.query(on: database).filter(\.$id ~~ ids).filter(\.$outcome == runningValue)
            .set(\.$outcome, to: ACMEAttemptRecord.Outcome.interrupted.rawValue).set(\.$phase, to: "done")
            .set(\.$error, to: reason).set(\.$finishedAt, to: date).update()
    }
}
