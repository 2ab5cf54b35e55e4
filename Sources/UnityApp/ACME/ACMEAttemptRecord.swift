import Fluent
import Foundation

/// One issuance or renewal attempt of an ACME order: who started it, how far it got, and how it
/// ended. Attempts run in the background; the API and the UI follow them through this row.
final class ACMEAttemptRecord: Model, @unchecked Sendable {
    static let schema = "acme_attempts"

    enum Outcome: String, Sendable { case running, succeeded, failed, interrupted }

    @ID(key: .id) var id: UUID?
    @Field(key: "order_id") var orderID: UUID
    /// create, renew (someone asked) or task (the daily renewal)
    @Field(key: "trigger") var trigger: String
    /// queued, ordering, presenting_challenges, validating, finalizing, downloading, storing, deploying, done
    @Field(key: "phase") var phase: String
    @Field(key: "outcome") var outcome: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    /// The CA's own words on failure.
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "serial") var serial: String?
    /// What happened to the deployments of the renewed certificate, e.g. "2 deployed, 1 failed".
    @OptionalField(key: "deployments") var deployments: String?
    /// The replica running the attempt and its last sign of life (see `BackgroundJobs`).
    @OptionalField(key: "owner_replica") var ownerReplica: String?
    @OptionalField(key: "heartbeat_at") var heartbeatAt: Date?

    init() {}

    init(orderID: UUID, trigger: String, owner: String? = nil, now: Date = Date()) {
        self.orderID = orderID
        self.ownerReplica = owner
        self.heartbeatAt = owner == nil ? nil : now
        self.trigger = trigger
        self.phase = "queued"
        self.outcome = Outcome.running.rawValue
        self.startedAt = now
    }
}
