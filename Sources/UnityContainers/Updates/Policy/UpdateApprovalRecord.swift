import FluentKit
import Foundation

/// Where an approval stands. The run it starts carries the later states (running, succeeded, failed,
/// rolled back); the approval only says it was handed to that run.
public enum UpdateApprovalStatus: String, Sendable, Codable, CaseIterable {
    case pending, approved, rejected
    /// The candidate changed (a newer one, or none) before the approval was used.
    case expired
    /// Attached to an update run (`run_id`).
    case scheduled
}

/// One request for an operator's go-ahead, for one candidate of one container. Unique per
/// (container, candidate key), like the notification ledger: each update check may try to queue it,
/// only the first insert wins, and a rejected candidate is not asked about again.
public final class UpdateApprovalRecord: Model, @unchecked Sendable {
    public static let schema = "update_approvals"

    @ID(key: .id) public var id: UUID?
    @Field(key: "container_id") public var containerID: UUID
    @Field(key: "host_id") public var hostID: UUID
    /// `tag:1.28` or `digest:sha256:…`, as in `container_update_notifications`.
    @Field(key: "candidate_key") public var candidateKey: String
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "current_tag") public var currentTag: String?
    @OptionalField(key: "candidate_tag") public var candidateTag: String?
    @OptionalField(key: "candidate_digest") public var candidateDigest: String?
    @Field(key: "status") public var status: String
    /// The policy whose `approve` mode asked for it.
    @OptionalField(key: "policy_name") public var policyName: String?
    @Field(key: "requested_at") public var requestedAt: Date
    @OptionalField(key: "decided_by") public var decidedBy: String?
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @OptionalField(key: "comment") public var comment: String?
    @OptionalField(key: "expired_at") public var expiredAt: Date?
    @OptionalField(key: "expired_reason") public var expiredReason: String?
    @OptionalField(key: "run_id") public var runID: UUID?
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var approvalStatus: UpdateApprovalStatus? { UpdateApprovalStatus(rawValue: status) }
}

/// 038 – containers: the approval queue of updates under `approve` policies.
public struct CreateUpdateApprovals: AsyncMigration {
    public let name = "038-containers-create-update-approvals"
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(UpdateApprovalRecord.schema)
            .id()
            .field("container_id", .uuid, .required, .references(ContainerRecord.schema, "id", onDelete: .cascade))
            .field("host_id", .uuid, .required)
            .field("candidate_key", .string, .required)
            .field("kind", .string, .required)
            .field("current_tag", .string)
            .field("candidate_tag", .string)
            .field("candidate_digest", .string)
            .field("status", .string, .required)
            .field("policy_name", .string)
            .field("requested_at", .datetime, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("comment", .string)
            .field("expired_at", .datetime)
            .field("expired_reason", .string)
            .field("run_id", .uuid)
            .field("updated_at", .datetime, .required)
            .unique(on: "container_id", "candidate_key")
            .create()
    }

    public func revert(on database: any Database) async throws { try await database.schema(UpdateApprovalRecord.schema).delete() }
}
