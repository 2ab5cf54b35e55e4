import Fluent
import Foundation

/// Distribution jobs as the background runner sees them.
struct DistributionJobKind: TrackedJobKind {
    var name: String { "distribution" }

    func runningRows(on database: any Database) async throws -> [TrackedJobRow] {
        try await DistributionJob.query(on: database).filter(\.$status == DistributionJob.Status.running.rawValue).all().map {
            TrackedJobRow(id: try $0.requireID(), owner: $0.ownerReplica, heartbeatAt: $0.heartbeatAt, startedAt: $0.createdAt ?? .distantPast)
        }
    }

    func heartbeat(_ ids: [UUID], owner: String, at date: Date, on database: any Database) async throws {
        try await DistributionJob.query(on: database).filter(\.$id ~~ ids).filter(\.$status == DistributionJob.Status.running.rawValue)
            .set(\.$ownerReplica, to: owner).set(\.$heartbeatAt, to: date).update()
    }

    func interrupt(_ ids: [UUID], reason: String, at date: Date, on database: any Database) async throws {
        try await DistributionJob.query(on: database).filter(\.$id ~~ ids).filter(\.$status == DistributionJob.Status.running.rawValue)
            .set(\.$status, to: DistributionJob.Status.interrupted.rawValue).set(\.$statusReason, to: reason)
            .set(\.$finishedAt, to: date).update()
    }
}
