import FluentKit
import Foundation
import UnityRegistry

/// Reading policies and resolving a container's effective policy from the database.
public enum UpdatePolicyStore {
    public static func policies(on database: any Database) async throws -> [UpdatePolicy] {
        try await UpdatePolicyRecord.query(on: database).all().compactMap(\.policy)
    }

    public static func subject(_ container: ContainerRecord) throws -> PolicySubject {
        PolicySubject(containerID: try container.requireID(), hostID: container.hostID, composeProject: container.composeProject,
                      labels: container.labels, isDatabase: DatabaseImages.engine(imageReference: container.imageReference) != nil)
    }

    /// nil when the container is unknown.
    public static func effective(containerID: UUID, on database: any Database) async throws -> (EffectivePolicy, ContainerRecord)? {
        guard let container = try await ContainerRecord.find(containerID, on: database) else { return nil }
        return (EffectivePolicy.resolve(try subject(container), policies: try await policies(on: database)), container)
    }
}

/// The detected candidate of a container (from its update status; a stale row's last good one).
public struct DetectedCandidate: Sendable, Equatable {
    public var kind: UpdateKind
    public var currentTag: String?
    public var candidateTag: String?
    public var candidateDigest: String?
    /// The notification ledger's and the approval queue's key.
    public var key: String

    public static func of(_ row: ContainerUpdateStatusRecord) -> DetectedCandidate? {
        let (status, kindText, tag, digest) = row.stale
            ? (row.lastGoodStatus, row.lastGoodKind, row.lastGoodCandidateTag, row.lastGoodCandidateDigest)
            : (row.status, row.kind, row.candidateTag, row.candidateDigest)
        guard status == UpdateStatus.updateAvailable.rawValue, let kind = kindText.flatMap(UpdateKind.init(rawValue:)) else { return nil }
        let verdict = UpdateVerdict(status: .updateAvailable, kind: kind, currentTag: row.currentTag, candidateTag: tag, candidateDigest: digest)
        guard let notice = UpdateStore.notice(row.containerID, verdict) else { return nil }
        return DetectedCandidate(kind: kind, currentTag: row.currentTag, candidateTag: tag, candidateDigest: digest, key: notice.candidateKey)
    }

    /// Whether a request's reference (`repo:tag`) and digest name this candidate: a version bump by
    /// its tag, a rebuild by the current tag and (when the request gives one) the same digest.
    public func matches(reference: String, digest: String?) -> Bool {
        let tag = Self.tag(of: reference)
        if kind == .digest {
            guard tag == currentTag else { return false }
            return digest == nil || digest == candidateDigest
        }
        return tag != nil && tag == candidateTag
    }

    /// The tag of `registry:5000/repo:tag@sha256:…` (nil without one).
    static func tag(of reference: String) -> String? {
        let withoutDigest = reference.split(separator: "@", maxSplits: 1).first.map(String.init) ?? reference
        let last = withoutDigest.split(separator: "/").last.map(String.init) ?? withoutDigest
        guard let colon = last.lastIndex(of: ":") else { return nil }
        let tag = String(last[last.index(after: colon)...])
        return tag.isEmpty ? nil : tag
    }
}

/// `UpdatePreflighting` over the database: gathers the facts (effective policy, detected candidate,
/// when it was first seen, approval, host health) and leaves the verdict to `PolicyDecision`.
public struct PolicyPreflight: UpdatePreflighting {
    let database: @Sendable () -> any Database
    let hostHealth: any HostHealthReading

    public init(database: @escaping @Sendable () -> any Database, hostHealth: any HostHealthReading) {
        self.database = database
        self.hostHealth = hostHealth
    }

    public func check(_ request: UpdateRequest, at now: Date) async throws -> UpdatePreflightVerdict {
        try await PolicyDecision.decide(facts(request), now: now)
    }

    public func facts(_ request: UpdateRequest) async throws -> PreflightFacts {
        let db = database()
        guard let resolved = try await UpdatePolicyStore.effective(containerID: request.containerID, on: db) else {
            throw PolicyPreflightError.containerNotFound(request.containerID)
        }
        let (policy, container) = resolved
        let status = try await ContainerUpdateStatusRecord.query(on: db).filter(\.$containerID == request.containerID).first()
        let candidate = status.flatMap(DetectedCandidate.of).flatMap {
            $0.matches(reference: request.candidateReference, digest: request.candidateDigest) ? $0 : nil
        }
        var firstSeen: Date?
        var approved = false
        if let candidate {
            firstSeen = try await ContainerUpdateNotificationRecord.query(on: db)
                .filter(\.$containerID == request.containerID).filter(\.$candidateKey == candidate.key).first()?.createdAt
            approved = try await UpdateApprovalStore.approval(containerID: request.containerID, key: candidate.key, on: db)?
                .approvalStatus == .approved
        }
        let gates = try await hostHealth.facts(containerHostID: container.hostID).map(HostGate.reasons) ?? []
        return PreflightFacts(request: request, policy: policy, kind: candidate?.kind, firstSeenAt: firstSeen,
                              hostGateReasons: gates, approved: approved)
    }
}

public enum PolicyPreflightError: Error, Equatable, CustomStringConvertible {
    case containerNotFound(UUID)
    public var description: String {
        switch self { case .containerNotFound(let id): "container \(id) is not in the inventory" }
    }
}
