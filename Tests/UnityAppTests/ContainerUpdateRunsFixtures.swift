import Fluent
import Foundation
import NIOConcurrencyHelpers
import UnityContainers
@testable import UnityApp

/// SCRIPTED stand-in for the update engine — NOT the real `ContainerUpdateEngine`. It writes the
/// forward path's journal lines through the journal it is handed, ends the run in `outcome`, and
/// records what it was asked (apply, resume). While `held`, `apply` waits, so a test can look at a
/// run that is still running. The real engine has its own tests and one end-to-end test here.
final class ScriptedUpdateApplier: ContainerUpdateApplying, @unchecked Sendable {
    private let lock = NIOLock()
    private var heldValue = false
    private var appliedRuns: [UUID] = []
    private var resumedRuns: [UpdateRunSnapshot] = []
    private var optionsSeen: [UpdateApplyOptions] = []
    let outcome: UpdateRunState

    init(outcome: UpdateRunState = .succeeded, held: Bool = false) {
        self.outcome = outcome
        self.heldValue = held
    }

    var applied: [UUID] { lock.withLock { appliedRuns } }
    var resumed: [UpdateRunSnapshot] { lock.withLock { resumedRuns } }
    var options: [UpdateApplyOptions] { lock.withLock { optionsSeen } }
    func release() { lock.withLock { heldValue = false } }

    func apply(_ request: UpdateRequest, options: UpdateApplyOptions, run: UUID, journal: any UpdateJournaling,
               backups: (any ContainerBackupTaking)?) async -> UpdateRunState {
        lock.withLock { appliedRuns.append(run); optionsSeen.append(options) }
        do {
            try await journal.append(UpdateStepEntry(step: .pull, outcome: .started, detail: "pulling \(request.candidateReference)", at: Date()), run: run)
            while lock.withLock({ heldValue }), !Task.isCancelled { try await Task.sleep(for: .milliseconds(20)) }
            try await journal.append(UpdateStepEntry(step: .pull, outcome: .succeeded, detail: "scripted pull", at: Date()), run: run)
            try await journal.record(UpdateRunFacts(oldContainerID: "old-engine-id", originalName: "web", newContainerID: "new-engine-id"), run: run)
            for step in [UpdateStepName.createNew, .startNew, .healthGate, .removeOld] {
                try await journal.append(UpdateStepEntry(step: step, outcome: .succeeded, detail: "scripted \(step.rawValue)", at: Date()), run: run)
            }
            try await journal.finish(run: run, state: outcome, summary: "scripted: \(outcome.rawValue)", at: Date())
        } catch {
            return .failed
        }
        return outcome
    }

    func resume(_ run: UpdateRunSnapshot, journal: any UpdateJournaling, backups: (any ContainerBackupTaking)?) async -> UpdateRunState {
        lock.withLock { resumedRuns.append(run) }
        try? await journal.append(UpdateStepEntry(step: .verifyOld, outcome: .succeeded, detail: "scripted resume: old container verified", at: Date()), run: run.id)
        try? await journal.finish(run: run.id, state: .rolledBack, summary: "scripted resume rolled back", at: Date())
        return .rolledBack
    }
}

/// A preflight that answers one verdict (the policy side's stand-in).
struct FixedPreflight: UpdatePreflighting {
    let verdict: UpdatePreflightVerdict
    func check(_ request: UpdateRequest, at now: Date) async throws -> UpdatePreflightVerdict { verdict }
}

enum UpdateRunFixtures {
    /// A host and a container `web` on `registry.example/app:1.0.0`; with `candidate`, an update
    /// check that found that tag.
    static func seed(on db: any Database, name: String = "web", candidate: String? = "1.1.0") async throws -> (host: UUID, container: UUID) {
        let now = Date()
        let host = ContainerHostRecord(name: "edge-\(UUID().uuidString.prefix(4))", transport: .socket, serverID: nil, socketPath: "/run/none.sock", now: now)
        host.status = "up"
        try await host.create(on: db)
        let row = ContainerRecord()
        row.hostID = try host.requireID(); row.engineID = String(repeating: "e", count: 60) + "0001"; row.name = name
        row.imageReference = "registry.example/app:1.0.0"
        row.repoDigestsJSON = "[\"registry.example/app@sha256:\(String(repeating: "a", count: 64))\"]"
        row.state = "running"; row.restartCount = 0; row.oomKilled = false; row.portsJSON = "[]"; row.mountsJSON = "[]"
        row.networksJSON = "[]"; row.labelsJSON = "{}"; row.composeConfigFilesJSON = "[]"; row.envNamesJSON = "[]"
        row.firstSeenAt = now; row.updatedAt = now
        try await row.create(on: db)
        let containerID = try row.requireID()
        if let candidate {
            let status = ContainerUpdateStatusRecord(containerID: containerID, now: now)
            status.status = UpdateStatus.updateAvailable.rawValue; status.kind = "minor"; status.reason = nil
            status.currentTag = "1.0.0"; status.currentDigest = "sha256:" + String(repeating: "a", count: 64)
            status.candidateTag = candidate; status.checkedAt = now
            try await status.create(on: db)
        }
        return (try host.requireID(), containerID)
    }

    /// Dates as every database keeps them (whole seconds), for equality checks after a round trip.
    static func second(_ offset: TimeInterval = 0) -> Date { Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + offset).rounded(.down)) }
}
