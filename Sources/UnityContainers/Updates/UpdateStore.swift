import FluentKit
import Foundation
import UnityRegistry

/// A new "update available" for one container: sent once per (container, candidate).
public struct UpdateNotice: Sendable, Equatable {
    public var containerID: UUID
    public var kind: UpdateKind
    public var currentTag: String?
    public var candidateTag: String?
    public var candidateDigest: String?
    /// A rebuild of the same tag (kind `digest`), as opposed to a version bump: channels may mute one.
    public var isRebuild: Bool { kind == .digest }
    /// `tag:17.2` or `digest:sha256:…`: the ledger's unique key within the container.
    public var candidateKey: String
}

/// Update detection's persistence: which containers to check, their stored results, the
/// notification ledger, and the person's choices (pin, skip this version).
public enum UpdateStore {
    /// Every live container (not removed, on an enabled host) with its host's platform and stored choices.
    public static func subjects(on database: any Database, hostID: UUID? = nil, containerID: UUID? = nil) async throws -> [UpdateSubject] {
        var query = ContainerRecord.query(on: database).filter(\.$removedAt == nil)
        if let hostID { query = query.filter(\.$hostID == hostID) }
        if let containerID { query = query.filter(\.$id == containerID) }
        let containers = try await query.all()
        let hosts = try await ContainerHostRecord.query(on: database).all()
        var platforms: [UUID: HostPlatform?] = [:]
        var enabled = Set<UUID>()
        for host in hosts {
            guard let id = host.id else { continue }
            if host.enabled { enabled.insert(id) }
            platforms[id] = host.architecture.map { HostPlatform(os: host.os ?? "linux", architecture: $0) }
        }
        let ids = containers.compactMap(\.id)
        let rows = ids.isEmpty ? [] : try await ContainerUpdateStatusRecord.query(on: database).filter(\.$containerID ~~ ids).all()
        let choices = Dictionary(rows.map { ($0.containerID, $0) }, uniquingKeysWith: { first, _ in first })
        return containers.compactMap { container in
            guard let id = container.id, enabled.contains(container.hostID) else { return nil }
            let choice = choices[id]
            return UpdateSubject(containerID: id, containerName: container.name, hostID: container.hostID,
                                 imageReference: container.imageReference, repoDigests: container.repoDigests,
                                 labels: container.labels, platform: platforms[container.hostID] ?? nil,
                                 userPinned: choice?.pinned ?? false, skippedTag: choice?.skippedTag, skippedDigest: choice?.skippedDigest)
        }
    }

    /// Stores a cycle's verdicts. A transient failure keeps the last good result (`stale` set, status
    /// `unknown` with the error as reason); any other verdict replaces it.
    public static func record(_ outcome: UpdateCheckCycle.Outcome, on database: any Database) async throws {
        let ids = Array(outcome.verdicts.keys)
        guard !ids.isEmpty else { return }
        try await database.transaction { transaction in
            let rows = try await ContainerUpdateStatusRecord.query(on: transaction).filter(\.$containerID ~~ ids).all()
            var byContainer = Dictionary(rows.map { ($0.containerID, $0) }, uniquingKeysWith: { first, _ in first })
            for (containerID, verdict) in outcome.verdicts {
                let row = byContainer[containerID] ?? ContainerUpdateStatusRecord(containerID: containerID, now: outcome.checkedAt)
                apply(verdict, to: row, at: outcome.checkedAt)
                try await row.save(on: transaction)
                byContainer[containerID] = row
            }
        }
    }

    static func apply(_ verdict: UpdateVerdict, to row: ContainerUpdateStatusRecord, at now: Date) {
        row.status = verdict.status.rawValue
        row.kind = verdict.kind?.rawValue
        row.reason = verdict.reason
        row.currentTag = verdict.currentTag
        row.currentDigest = verdict.currentDigest
        row.candidateTag = verdict.candidateTag
        row.candidateDigest = verdict.candidateDigest
        row.intermediateCount = verdict.intermediateCount
        row.checkedAt = now
        row.updatedAt = now
        if verdict.transient {
            row.stale = row.lastGoodStatus != nil
        } else {
            row.stale = false
            if verdict.status == .upToDate || verdict.status == .updateAvailable {
                row.lastGoodStatus = verdict.status.rawValue
                row.lastGoodKind = verdict.kind?.rawValue
                row.lastGoodCandidateTag = verdict.candidateTag
                row.lastGoodCandidateDigest = verdict.candidateDigest
                row.lastGoodCheckedAt = now
            } else {
                row.lastGoodStatus = nil
                row.lastGoodKind = nil
                row.lastGoodCandidateTag = nil
                row.lastGoodCandidateDigest = nil
                row.lastGoodCheckedAt = nil
            }
        }
    }

    /// The notices of this cycle that no earlier cycle, process or replica has claimed: each is
    /// inserted into the ledger, and only the inserts that win come back.
    public static func claimNewNotices(_ outcome: UpdateCheckCycle.Outcome, on database: any Database) async throws -> [UpdateNotice] {
        var claimed: [UpdateNotice] = []
        for (containerID, verdict) in outcome.verdicts.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            guard let notice = notice(containerID, verdict) else { continue }
            let row = ContainerUpdateNotificationRecord()
            row.containerID = containerID
            row.candidateKey = notice.candidateKey
            row.kind = notice.kind.rawValue
            row.currentTag = notice.currentTag
            row.candidateTag = notice.candidateTag
            row.candidateDigest = notice.candidateDigest
            row.createdAt = outcome.checkedAt
            do {
                try await row.create(on: database)
                claimed.append(notice)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue // Notified before (an earlier cycle, a previous run, another replica).
            }
        }
        return claimed
    }

    static func notice(_ containerID: UUID, _ verdict: UpdateVerdict) -> UpdateNotice? {
        guard verdict.status == .updateAvailable, let kind = verdict.kind else { return nil }
        let key: String
        if kind == .digest {
            guard let digest = verdict.candidateDigest else { return nil }
            key = "digest:\(digest)"
        } else {
            guard let tag = verdict.candidateTag else { return nil }
            key = "tag:\(tag)"
        }
        return UpdateNotice(containerID: containerID, kind: kind, currentTag: verdict.currentTag, candidateTag: verdict.candidateTag,
                            candidateDigest: verdict.candidateDigest, candidateKey: key)
    }

    /// Check, store, claim: the entry point a scheduled task or "check now" calls.
    public static func runCycle(_ cycle: UpdateCheckCycle, on database: any Database, hostID: UUID? = nil,
                                containerID: UUID? = nil) async throws -> (outcome: UpdateCheckCycle.Outcome, notices: [UpdateNotice]) {
        let outcome = await cycle.run(try await subjects(on: database, hostID: hostID, containerID: containerID))
        try await record(outcome, on: database)
        return (outcome, try await claimNewNotices(outcome, on: database))
    }

    /// Pins (no checks) or unpins a container; the status shows it from the next check on.
    public static func setPinned(_ pinned: Bool, containerID: UUID, now: Date, on database: any Database) async throws {
        let row = try await row(for: containerID, now: now, on: database)
        row.pinned = pinned
        row.updatedAt = now
        try await row.save(on: database)
    }

    /// "Skip this version": the current candidate (its tag for a version bump, its digest for a
    /// rebuild) is not reported again; a newer one is. False when there is no candidate to skip.
    @discardableResult
    public static func skipCurrentCandidate(containerID: UUID, now: Date, on database: any Database) async throws -> Bool {
        guard let row = try await ContainerUpdateStatusRecord.query(on: database).filter(\.$containerID == containerID).first(),
              row.status == UpdateStatus.updateAvailable.rawValue else { return false }
        if row.kind == UpdateKind.digest.rawValue { row.skippedDigest = row.candidateDigest } else { row.skippedTag = row.candidateTag }
        row.updatedAt = now
        try await row.save(on: database)
        return true
    }

    static func row(for containerID: UUID, now: Date, on database: any Database) async throws -> ContainerUpdateStatusRecord {
        if let row = try await ContainerUpdateStatusRecord.query(on: database).filter(\.$containerID == containerID).first() { return row }
        return ContainerUpdateStatusRecord(containerID: containerID, now: now)
    }
}
