import FluentKit
import Foundation

/// One update run of one container (issue 17): what was asked, by whom, from which image to which,
/// where it is, and what the engine learned on the way (`facts`, read back by a resume). The
/// container is named by id AND name without a foreign key: the history outlives the container
/// (an update replaces the engine's container; a removed one keeps its runs).
public final class ContainerUpdateRunRecord: Model, @unchecked Sendable {
    public static let schema = "container_update_runs"

    // managed fields
    @ID(key: .id) public var id: UUID?

    // data fields
    @Field(key: "container_id") public var containerID: UUID
    @Field(key: "container_name") public var containerName: String
    @Field(key: "host_id") public var hostID: UUID
    /// The image reference the container ran when the run began, with its tag and digest.
    @OptionalField(key: "from_reference") public var fromReference: String?
    @OptionalField(key: "from_tag") public var fromTag: String?
    @OptionalField(key: "from_digest") public var fromDigest: String?
    @Field(key: "to_reference") public var toReference: String
    @OptionalField(key: "to_digest") public var toDigest: String?
    /// manual | approval | policy (`UpdateTrigger`)
    @Field(key: "trigger") public var trigger: String
    @Field(key: "requested_by") public var requestedBy: String
    @Field(key: "override_window") public var overrideWindow: Bool
    /// `UpdateRunState`
    @Field(key: "state") public var state: String
    /// Why the run ended as it did, in a sentence (nil while it runs).
    @OptionalField(key: "summary") public var summary: String?
    /// `UpdateRunFacts` as JSON.
    @Field(key: "facts") public var factsJSON: String
    /// Set to the container's id while the run is active and cleared when it ends: its unique index
    /// is what allows one active run per container, atomically, on SQLite and PostgreSQL and across
    /// replicas (NULLs never collide).
    @OptionalField(key: "active_container_id") public var activeContainerID: UUID?
    /// The replica working on the run and its last sign of life (see the app's tracked job runner).
    @OptionalField(key: "owner_replica") public var ownerReplica: String?
    @OptionalField(key: "heartbeat_at") public var heartbeatAt: Date?
    /// Compare-and-set token of the last claim (a resume): two replicas never resume one run twice.
    @OptionalField(key: "claim_token") public var claimToken: String?
    @Field(key: "started_at") public var startedAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?

    public init() {}

    public var runState: UpdateRunState? { UpdateRunState(rawValue: state) }

    public var facts: UpdateRunFacts {
        get { (try? JSONDecoder().decode(UpdateRunFacts.self, from: Data(factsJSON.utf8))) ?? UpdateRunFacts() }
        set { factsJSON = Self.encode(newValue) }
    }

    static func encode(_ facts: UpdateRunFacts) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(facts)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The request the run was started for, as the engine's resume reads it back.
    public var request: UpdateRequest {
        UpdateRequest(containerID: containerID, hostID: hostID, candidateReference: toReference, candidateDigest: toDigest,
                      trigger: UpdateTrigger(rawValue: trigger) ?? .manual, requestedBy: requestedBy, overrideWindow: overrideWindow)
    }
}

/// One journal line of a run, numbered within the run (`sequence`), written before the side effect
/// it announces (`started`) and again when it ends.
public final class ContainerUpdateStepRecord: Model, @unchecked Sendable {
    public static let schema = "container_update_steps"

    // managed fields
    @ID(key: .id) public var id: UUID?

    // data fields
    @Field(key: "run_id") public var runID: UUID
    @Field(key: "sequence") public var sequence: Int
    /// `UpdateStepName`
    @Field(key: "step") public var step: String
    /// `UpdateStepOutcome`
    @Field(key: "outcome") public var outcome: String
    @Field(key: "detail") public var detail: String
    @Field(key: "at") public var at: Date

    public init() {}

    public init(runID: UUID, sequence: Int, entry: UpdateStepEntry) {
        self.runID = runID
        self.sequence = sequence
        self.step = entry.step.rawValue
        self.outcome = entry.outcome.rawValue
        self.detail = entry.detail
        self.at = entry.at
    }

    /// The journal line, or nil for a row this version does not know (written by a newer Unity).
    public var entry: UpdateStepEntry? {
        guard let step = UpdateStepName(rawValue: step), let outcome = UpdateStepOutcome(rawValue: outcome) else { return nil }
        return UpdateStepEntry(step: step, outcome: outcome, detail: detail, at: at)
    }
}
