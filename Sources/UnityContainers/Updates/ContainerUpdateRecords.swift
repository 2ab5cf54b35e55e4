import FluentKit
import Foundation

/// The latest update check of one container, the last good one kept beside it (a transient registry
/// failure shows the last good result as stale, never as up to date), and the person's choices
/// (pin, skip this version), which survive every check.
public final class ContainerUpdateStatusRecord: Model, @unchecked Sendable {
    public static let schema = "container_update_status"

    @ID(key: .id) public var id: UUID?
    @Field(key: "container_id") public var containerID: UUID
    /// up_to_date | update_available | unknown | skipped | pinned
    @Field(key: "status") public var status: String
    /// digest | patch | minor | major
    @OptionalField(key: "kind") public var kind: String?
    @OptionalField(key: "reason") public var reason: String?
    @OptionalField(key: "current_tag") public var currentTag: String?
    @OptionalField(key: "current_digest") public var currentDigest: String?
    @OptionalField(key: "candidate_tag") public var candidateTag: String?
    @OptionalField(key: "candidate_digest") public var candidateDigest: String?
    @OptionalField(key: "intermediate_count") public var intermediateCount: Int?
    @OptionalField(key: "checked_at") public var checkedAt: Date?
    /// The last check failed transiently; `last_good_*` is what the check before it found.
    @Field(key: "stale") public var stale: Bool
    @OptionalField(key: "last_good_status") public var lastGoodStatus: String?
    @OptionalField(key: "last_good_kind") public var lastGoodKind: String?
    @OptionalField(key: "last_good_candidate_tag") public var lastGoodCandidateTag: String?
    @OptionalField(key: "last_good_candidate_digest") public var lastGoodCandidateDigest: String?
    @OptionalField(key: "last_good_checked_at") public var lastGoodCheckedAt: Date?
    /// Set by a person: no checks until unpinned.
    @Field(key: "pinned") public var pinned: Bool
    /// "Skip this version": a candidate tag (version bump) or digest (rebuild) not to report again.
    @OptionalField(key: "skipped_tag") public var skippedTag: String?
    @OptionalField(key: "skipped_digest") public var skippedDigest: String?
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public init(containerID: UUID, now: Date) {
        self.containerID = containerID
        self.status = UpdateStatus.unknown.rawValue
        self.reason = "not checked yet"
        self.stale = false
        self.pinned = false
        self.updatedAt = now
    }

    public var updateStatus: UpdateStatus? { UpdateStatus(rawValue: status) }
}

/// One notification Unity decided to send about an available update. The unique key
/// (container, candidate) is what makes "notify once" hold across cycles, restarts and replicas:
/// the insert either wins or conflicts, and only a winner notifies.
public final class ContainerUpdateNotificationRecord: Model, @unchecked Sendable {
    public static let schema = "container_update_notifications"

    @ID(key: .id) public var id: UUID?
    @Field(key: "container_id") public var containerID: UUID
    /// `tag:17.2` for a version bump, `digest:sha256:…` for a rebuild of the same tag.
    @Field(key: "candidate_key") public var candidateKey: String
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "current_tag") public var currentTag: String?
    @OptionalField(key: "candidate_tag") public var candidateTag: String?
    @OptionalField(key: "candidate_digest") public var candidateDigest: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// 028 – containers: the update status of each container (latest, last good, pin, skipped version).
public struct CreateContainerUpdateStatus: AsyncMigration {
    public let name = "028-containers-create-update-status"
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ContainerUpdateStatusRecord.schema)
            .id()
            .field("container_id", .uuid, .required, .references(ContainerRecord.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("kind", .string)
            .field("reason", .string)
            .field("current_tag", .string)
            .field("current_digest", .string)
            .field("candidate_tag", .string)
            .field("candidate_digest", .string)
            .field("intermediate_count", .int)
            .field("checked_at", .datetime)
            .field("stale", .bool, .required)
            .field("last_good_status", .string)
            .field("last_good_kind", .string)
            .field("last_good_candidate_tag", .string)
            .field("last_good_candidate_digest", .string)
            .field("last_good_checked_at", .datetime)
            .field("pinned", .bool, .required)
            .field("skipped_tag", .string)
            .field("skipped_digest", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "container_id")
            .create()
    }

    public func revert(on database: any Database) async throws { try await database.schema(ContainerUpdateStatusRecord.schema).delete() }
}

/// 029 – containers: the ledger of update notifications, unique per (container, candidate).
public struct CreateContainerUpdateNotifications: AsyncMigration {
    public let name = "029-containers-create-update-notifications"
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ContainerUpdateNotificationRecord.schema)
            .id()
            .field("container_id", .uuid, .required, .references(ContainerRecord.schema, "id", onDelete: .cascade))
            .field("candidate_key", .string, .required)
            .field("kind", .string, .required)
            .field("current_tag", .string)
            .field("candidate_tag", .string)
            .field("candidate_digest", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "container_id", "candidate_key")
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ContainerUpdateNotificationRecord.schema).delete()
    }
}
