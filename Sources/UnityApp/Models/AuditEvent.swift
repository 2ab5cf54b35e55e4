import Fluent
import Vapor

/// One audited action. `details` is JSON text written by the code that knows what is safe to keep;
/// secrets never go in it.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "occurred_at") var occurredAt: Date
    @Field(key: "actor_type") var actorType: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "actor_name") var actorName: String?
    @Field(key: "action") var action: String
    @OptionalField(key: "target_type") var targetType: String?
    @OptionalField(key: "target_id") var targetID: String?
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "status_code") var statusCode: Int?
    @OptionalField(key: "client_address") var clientAddress: String?
    @OptionalField(key: "user_agent") var userAgent: String?
    @OptionalField(key: "request_id") var requestID: String?
    @Field(key: "details") var details: String

    init() {}
}
