import Foundation

// The journal of an update run (issue 17): written BEFORE each side effect, so that after a crash
// (kill -9 at any step) the app can read what was done and resume or roll back. The update engine
// writes through this protocol; the app implements it on the database (update runs and steps), the
// engine's tests on memory.

/// The steps of one run, in the order they happen. The forward path ends at `removeOld`; a failure
/// anywhere takes the rollback path (`removeNew` … `verifyOld`, then `restoreBackup` when asked).
public enum UpdateStepName: String, Sendable, Codable, CaseIterable, Equatable {
    case preflight
    case pull
    case pinRollback = "pin_rollback"
    case backup
    case renameOld = "rename_old"
    case createNew = "create_new"
    case stopOld = "stop_old"
    case startNew = "start_new"
    case healthGate = "health_gate"
    case removeOld = "remove_old"
    /// The compose path (a compose-managed service whose files are readable on its host): the image
    /// edit in the operator's file, Compose recreating the service, and, on the rollback path, the
    /// file and the old image's tag put back and the service recreated again.
    case composeFile = "compose_file"
    case composeUp = "compose_up"
    case composeRestore = "compose_restore"
    case removeNew = "remove_new"
    case renameBack = "rename_back"
    case startOld = "start_old"
    case verifyOld = "verify_old"
    case restoreBackup = "restore_backup"

    /// Steps of the rollback path.
    public var isRollback: Bool {
        switch self {
        case .removeNew, .renameBack, .startOld, .verifyOld, .restoreBackup, .composeRestore: true
        default: false
        }
    }
}

public enum UpdateStepOutcome: String, Sendable, Codable, Equatable {
    case started, succeeded, failed, skipped
}

/// Where a run is. `deferred`/`refused`/`needsApproval` end a run at preflight with nothing touched.
public enum UpdateRunState: String, Sendable, Codable, CaseIterable, Equatable {
    case queued, running, succeeded, failed
    case rolledBack = "rolled_back"
    case deferred, refused
    case needsApproval = "needs_approval"

    public var isFinal: Bool { self != .queued && self != .running }
}

/// What the engine learned along the way that a resume needs: which container is the old one (by id
/// and by its original name), the image to roll back to, the new container once created.
public struct UpdateRunFacts: Sendable, Codable, Equatable {
    public var oldContainerID: String?
    public var originalName: String?
    /// The old container's name while the new one runs under the original name.
    public var parkedName: String?
    public var oldImageID: String?
    public var rollbackReference: String?
    public var candidateImageID: String?
    public var newContainerID: String?
    public var backupID: UUID?
    /// Set when the run took the compose path.
    public var compose: ComposeRunFacts?

    public init(oldContainerID: String? = nil, originalName: String? = nil, parkedName: String? = nil,
                oldImageID: String? = nil, rollbackReference: String? = nil, candidateImageID: String? = nil,
                newContainerID: String? = nil, backupID: UUID? = nil, compose: ComposeRunFacts? = nil) {
        self.compose = compose
        self.oldContainerID = oldContainerID
        self.originalName = originalName
        self.parkedName = parkedName
        self.oldImageID = oldImageID
        self.rollbackReference = rollbackReference
        self.candidateImageID = candidateImageID
        self.newContainerID = newContainerID
        self.backupID = backupID
    }
}

/// One journal line.
public struct UpdateStepEntry: Sendable, Codable, Equatable {
    public var step: UpdateStepName
    public var outcome: UpdateStepOutcome
    public var detail: String
    public var at: Date

    public init(step: UpdateStepName, outcome: UpdateStepOutcome, detail: String, at: Date) {
        self.step = step
        self.outcome = outcome
        self.detail = detail
        self.at = at
    }
}

/// A run as a resume reads it back.
public struct UpdateRunSnapshot: Sendable, Equatable {
    public var id: UUID
    public var request: UpdateRequest
    public var state: UpdateRunState
    public var facts: UpdateRunFacts
    public var steps: [UpdateStepEntry]

    public init(id: UUID, request: UpdateRequest, state: UpdateRunState, facts: UpdateRunFacts, steps: [UpdateStepEntry]) {
        self.id = id
        self.request = request
        self.state = state
        self.facts = facts
        self.steps = steps
    }

    /// The last step that was started, whether or not it finished: where a crash happened.
    public var lastStep: UpdateStepEntry? { steps.last }
}

/// Durable record of runs. Each call returns only once the line is stored.
public protocol UpdateJournaling: Sendable {
    /// Stores a new run in state `running` and returns its id.
    func begin(_ request: UpdateRequest, at: Date) async throws -> UUID
    /// Replaces the run's facts (called whenever the engine learns one).
    func record(_ facts: UpdateRunFacts, run: UUID) async throws
    /// Appends a journal line.
    func append(_ entry: UpdateStepEntry, run: UUID) async throws
    /// Ends the run.
    func finish(run: UUID, state: UpdateRunState, summary: String, at: Date) async throws
    /// Runs still `running` (after a crash, the ones to resume or roll back).
    func unfinished() async throws -> [UpdateRunSnapshot]
}

/// The update engine as the app drives it, built per container host around that host's engine.
/// The app creates the run (`journal.begin`), writes the `preflight` line and answers deferred,
/// refused and needs-approval itself; the engine writes every line from `pull` on and returns the
/// run's final state (`succeeded`, `rolled_back` or `failed`), having called `journal.finish`.
public protocol ContainerUpdateApplying: Sendable {
    func apply(_ request: UpdateRequest, options: UpdateApplyOptions, run: UUID,
               journal: any UpdateJournaling, backups: (any ContainerBackupTaking)?) async -> UpdateRunState
    /// Finishes a run a crash left `running`: rolls back when the new container was not yet started,
    /// otherwise gates the new container again and keeps it or rolls back. Safe to call twice.
    func resume(_ run: UpdateRunSnapshot, journal: any UpdateJournaling, backups: (any ContainerBackupTaking)?) async -> UpdateRunState
}
