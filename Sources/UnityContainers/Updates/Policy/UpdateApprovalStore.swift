import FluentKit
import Foundation
import UnityRegistry

public enum UpdateApprovalError: Error, Equatable, CustomStringConvertible {
    case notFound
    /// Only a pending approval can be approved or rejected; only an approved one attached to a run.
    case wrongState(UpdateApprovalStatus?)

    public var description: String {
        switch self {
        case .notFound: "no such approval"
        case .wrongState(let status): "the approval is \(status?.rawValue ?? "unreadable")"
        }
    }
}

/// The approval queue: filled by update checks, decided by operators, used by update runs.
public enum UpdateApprovalStore {
    /// After an update check: expire approvals whose candidate changed, and queue one for every new
    /// candidate of a container whose effective mode is `approve`. Returns how many were queued.
    /// A transient or unknown verdict changes nothing (the candidate is not known to have changed).
    @discardableResult
    public static func sync(verdicts: [UUID: UpdateVerdict], at now: Date, on database: any Database) async throws -> Int {
        let settled = verdicts.filter { !$0.value.transient && ($0.value.status == .updateAvailable || $0.value.status == .upToDate || $0.value.status == .pinned) }
        guard !settled.isEmpty else { return 0 }
        let ids = Array(settled.keys)
        let open = try await UpdateApprovalRecord.query(on: database).filter(\.$containerID ~~ ids)
            .filter(\.$status ~~ [UpdateApprovalStatus.pending.rawValue, UpdateApprovalStatus.approved.rawValue]).all()
        for approval in open {
            let current = settled[approval.containerID].flatMap { UpdateStore.notice(approval.containerID, $0) }
            guard current?.candidateKey != approval.candidateKey else { continue }
            approval.status = UpdateApprovalStatus.expired.rawValue
            approval.expiredAt = now
            approval.expiredReason = current.map { "the candidate changed to \($0.candidateTag ?? $0.candidateDigest ?? $0.candidateKey)" }
                ?? "no update is available any more"
            approval.updatedAt = now
            try await approval.save(on: database)
        }
        let notices = settled.compactMap { UpdateStore.notice($0.key, $0.value) }
        guard !notices.isEmpty else { return 0 }
        let policies = try await UpdatePolicyStore.policies(on: database)
        let containers = try await ContainerRecord.query(on: database).filter(\.$id ~~ notices.map(\.containerID)).all()
        var queued = 0
        for container in containers {
            guard let id = container.id, let notice = notices.first(where: { $0.containerID == id }) else { continue }
            let effective = EffectivePolicy.resolve(try UpdatePolicyStore.subject(container), policies: policies)
            guard effective.mode.value == .approve, effective.allowedKinds.value.contains(notice.kind) else { continue }
            if try await approval(containerID: id, key: notice.candidateKey, on: database) != nil { continue }
            let row = UpdateApprovalRecord()
            row.id = UUID()
            row.containerID = id; row.hostID = container.hostID; row.candidateKey = notice.candidateKey
            row.kind = notice.kind.rawValue; row.currentTag = notice.currentTag; row.candidateTag = notice.candidateTag
            row.candidateDigest = notice.candidateDigest; row.status = UpdateApprovalStatus.pending.rawValue
            row.policyName = effective.mode.source.name; row.requestedAt = now; row.updatedAt = now
            do {
                try await row.create(on: database)
                queued += 1
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // Another check (process or replica) queued the same candidate first.
            }
        }
        return queued
    }

    public static func approval(containerID: UUID, key: String, on database: any Database) async throws -> UpdateApprovalRecord? {
        try await UpdateApprovalRecord.query(on: database).filter(\.$containerID == containerID).filter(\.$candidateKey == key).first()
    }

    /// Approve or reject a pending approval. The update compares-and-sets on the status, so two
    /// operators deciding at once cannot both win.
    public static func decide(_ id: UUID, approve: Bool, by user: String, comment: String?, at now: Date,
                              on database: any Database) async throws -> UpdateApprovalRecord {
        guard let row = try await UpdateApprovalRecord.find(id, on: database) else { throw UpdateApprovalError.notFound }
        guard row.approvalStatus == .pending else { throw UpdateApprovalError.wrongState(row.approvalStatus) }
        let status = approve ? UpdateApprovalStatus.approved : .rejected
        try await UpdateApprovalRecord.query(on: database).filter(\.$id == id).filter(\.$status == UpdateApprovalStatus.pending.rawValue)
            .set(\.$status, to: status.rawValue).set(\.$decidedBy, to: user).set(\.$decidedAt, to: now)
            .set(\.$comment, to: comment).set(\.$updatedAt, to: now).update()
        // Whoever's update matched the pending row wrote their name: a loser reads someone else's.
        guard let after = try await UpdateApprovalRecord.find(id, on: database), after.approvalStatus == status, after.decidedBy == user else {
            throw UpdateApprovalError.wrongState(try await UpdateApprovalRecord.find(id, on: database)?.approvalStatus)
        }
        return after
    }

    /// Hands an approved approval to the update run that carries it out.
    public static func attachRun(_ id: UUID, runID: UUID, at now: Date, on database: any Database) async throws {
        guard let row = try await UpdateApprovalRecord.find(id, on: database) else { throw UpdateApprovalError.notFound }
        guard row.approvalStatus == .approved else { throw UpdateApprovalError.wrongState(row.approvalStatus) }
        row.status = UpdateApprovalStatus.scheduled.rawValue
        row.runID = runID
        row.updatedAt = now
        try await row.save(on: database)
    }
}
