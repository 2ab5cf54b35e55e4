import Foundation
import UnityContainers
import Vapor

/// One journal line as the API shows it.
struct UpdateStepDTO: Content, APIExample {
    var sequence: Int
    /// preflight, pull, pin_rollback, backup, rename_old, create_new, stop_old, start_new, health_gate, remove_old,
    /// compose_file and compose_up on the compose path, and on the rollback path remove_new, rename_back,
    /// start_old, verify_old, compose_restore, restore_backup
    var step: String
    /// started, succeeded, failed, skipped
    var outcome: String
    var detail: String
    var at: Date

    init(_ row: ContainerUpdateStepRecord) {
        sequence = row.sequence; step = row.step; outcome = row.outcome; detail = row.detail; at = row.at
    }

    private init() { sequence = 2; step = "pull"; outcome = "succeeded"; detail = "pulled ghcr.io/org/app:1.4.2"; at = Self.exampleDate }

    static var example: UpdateStepDTO { .init() }
    /// A fixed instant for the OpenAPI examples, so the document is the same on every start.
    static let exampleDate = Date(timeIntervalSince1970: 1_796_000_000)
    static var allowedValues: [String: [String]] {
        ["step": UpdateStepName.allCases.map(\.rawValue), "outcome": ["started", "succeeded", "failed", "skipped"]]
    }
}

/// What the engine learned during the run (the old container, the rollback image, the new container).
struct UpdateRunFactsDTO: Content, APIExample {
    var oldContainerId: String?
    var originalName: String?
    var parkedName: String?
    var oldImageId: String?
    var rollbackReference: String?
    var candidateImageId: String?
    var newContainerId: String?
    var backupId: UUID?

    init(_ facts: UpdateRunFacts) {
        oldContainerId = facts.oldContainerID; originalName = facts.originalName; parkedName = facts.parkedName
        oldImageId = facts.oldImageID; rollbackReference = facts.rollbackReference; candidateImageId = facts.candidateImageID
        newContainerId = facts.newContainerID; backupId = facts.backupID
    }

    static var example: UpdateRunFactsDTO {
        .init(UpdateRunFacts(oldContainerID: String(repeating: "a1", count: 32), originalName: "web", parkedName: "web-unity-old-20261208T010000Z",
                             oldImageID: "sha256:" + String(repeating: "b2", count: 32), rollbackReference: "unity-rollback/web:20261208T010000Z",
                             candidateImageID: "sha256:" + String(repeating: "c3", count: 32), newContainerID: String(repeating: "d4", count: 32),
                             backupID: UUID()))
    }
}

/// One update run: who asked, from which image to which, where it is, and (on one run) its journal.
struct UpdateRunDTO: Content, APIExample {
    var id: UUID
    var containerId: UUID
    var containerName: String
    var hostId: UUID
    var fromReference: String?
    var fromTag: String?
    var fromDigest: String?
    var toReference: String
    var toDigest: String?
    /// manual, approval, policy
    var trigger: String
    var requestedBy: String
    var overrideWindow: Bool
    /// queued, running, succeeded, failed, rolled_back, deferred, refused, needs_approval
    var state: String
    var summary: String?
    var facts: UpdateRunFactsDTO
    var startedAt: Date
    var finishedAt: Date?
    var durationSeconds: Double?
    /// The journal, oldest line first (on single runs; absent in lists).
    var steps: [UpdateStepDTO]?

    init(_ row: ContainerUpdateRunRecord, steps: [ContainerUpdateStepRecord]?) throws {
        id = try row.requireID(); containerId = row.containerID; containerName = row.containerName; hostId = row.hostID
        fromReference = row.fromReference; fromTag = row.fromTag; fromDigest = row.fromDigest
        toReference = row.toReference; toDigest = row.toDigest; trigger = row.trigger; requestedBy = row.requestedBy
        overrideWindow = row.overrideWindow; state = row.state; summary = row.summary; facts = UpdateRunFactsDTO(row.facts)
        startedAt = row.startedAt; finishedAt = row.finishedAt
        durationSeconds = row.finishedAt.map { ($0.timeIntervalSince(row.startedAt) * 1000).rounded() / 1000 }
        self.steps = steps.map { rows in rows.map { UpdateStepDTO($0) } }
    }

    private init() {
        id = UUID(); containerId = UUID(); containerName = "web"; hostId = UUID(); fromReference = "ghcr.io/org/app:1.4.1"
        fromTag = "1.4.1"; fromDigest = "sha256:" + String(repeating: "ab", count: 32); toReference = "ghcr.io/org/app:1.4.2"
        toDigest = "sha256:" + String(repeating: "cd", count: 32); trigger = "manual"; requestedBy = "alice"; overrideWindow = false
        state = "succeeded"; summary = "updated to ghcr.io/org/app:1.4.2, healthy"; facts = .example; startedAt = UpdateStepDTO.exampleDate
        finishedAt = UpdateStepDTO.exampleDate.addingTimeInterval(41.2); durationSeconds = 41.2; steps = [.example]
    }

    static var example: UpdateRunDTO { .init() }
    static var allowedValues: [String: [String]] {
        UpdateStepDTO.allowedValues.merging([
            "trigger": ["manual", "approval", "policy"], "state": UpdateRunState.allCases.map(\.rawValue),
        ]) { $1 }
    }
}

/// `POST /api/v1/containers/{id}/update`: both fields optional.
struct StartUpdateRunBody: Content, APIExample {
    /// The image reference to update to (`ghcr.io/org/app:1.4.2`, optionally `@sha256:…`); default: the
    /// candidate the last update check found.
    var candidate: String?
    /// Update even outside the maintenance window (admins only, audited).
    var overrideWindow: Bool?

    static var example: StartUpdateRunBody { .init(candidate: "ghcr.io/org/app:1.4.2", overrideWindow: false) }
}
