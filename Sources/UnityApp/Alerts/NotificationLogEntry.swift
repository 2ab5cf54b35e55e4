import Fluent
import Foundation
import UnityAlerts

/// One delivery attempt (or a notification maintenance mode held back). Texts come from
/// `DeliveryResult`, already scrubbed of the channel's secrets.
final class NotificationLogEntry: Model, @unchecked Sendable {
    static let schema = "notification_log"

    enum Outcome: String, Codable, CaseIterable, Sendable {
        case delivered, failed, retrying, suppressed
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "delivery_id") var deliveryID: UUID
    @OptionalField(key: "channel_id") var channelID: UUID?
    @Field(key: "channel_kind") var channelKind: String
    @Field(key: "redacted_url") var redactedURL: String
    /// JSON array of alert ids the message was about (one, or many for a storm summary).
    @Field(key: "alert_ids") var alertIDs: String
    @Field(key: "event") var event: String
    @Field(key: "attempt") var attempt: Int
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "http_status") var httpStatus: Int?
    @OptionalField(key: "smtp_reply") var smtpReply: String?
    @OptionalField(key: "error") var error: String?
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "finished_at") var finishedAt: Date
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    /// Observation → receiver answered, in milliseconds (the latency goal's measure).
    @OptionalField(key: "latency_ms") var latencyMS: Double?

    init() {}

    init(_ attempt: DeliveryAttempt) {
        deliveryID = attempt.deliveryID
        channelID = attempt.channelID
        channelKind = attempt.channelKind
        redactedURL = attempt.redactedURL
        alertIDs = JSONList.encode(attempt.alertIDs.map { $0.uuidString.lowercased() })
        event = attempt.event.rawValue
        self.attempt = attempt.attempt
        outcome = (attempt.result.ok ? Outcome.delivered : attempt.nextAttemptAt == nil ? .failed : .retrying).rawValue
        httpStatus = attempt.result.httpStatus
        smtpReply = attempt.result.smtpReply
        error = attempt.result.error
        startedAt = attempt.startedAt
        finishedAt = attempt.finishedAt
        nextAttemptAt = attempt.nextAttemptAt
        latencyMS = attempt.latency.map { $0 * 1000 }
    }
}
