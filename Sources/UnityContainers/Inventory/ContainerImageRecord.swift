import FluentKit
import Foundation
import UnityParsers

/// One image on a host, as last listed; gone from the engine → `removed_at` set.
public final class ContainerImageRecord: Model, @unchecked Sendable {
    public static let schema = "container_images"

    @ID(key: .id) public var id: UUID?
    @Field(key: "host_id") public var hostID: UUID
    @Field(key: "image_id") public var imageID: String
    @Field(key: "tags") public var tagsJSON: String
    @Field(key: "repo_digests") public var repoDigestsJSON: String
    @OptionalField(key: "size") public var size: Int64?
    @OptionalField(key: "created") public var created: Date?
    @Field(key: "first_seen_at") public var firstSeenAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @OptionalField(key: "removed_at") public var removedAt: Date?

    public init() {}

    public init(hostID: UUID, image: ImageSummary, now: Date) {
        self.hostID = hostID
        self.firstSeenAt = now
        copy(image)
        updatedAt = now
        removedAt = nil
    }

    /// Copies the listing; true (and `updated_at` moved) only when a stored column changed or the
    /// image came back, so an unchanged image is not rewritten on every discovery.
    @discardableResult
    public func refresh(from image: ImageSummary, now: Date) -> Bool {
        let before = comparableColumns
        copy(image)
        guard comparableColumns != before || removedAt != nil else { return false }
        updatedAt = now
        removedAt = nil
        return true
    }

    private func copy(_ image: ImageSummary) {
        imageID = image.id
        tagsJSON = InventoryJSON.encode(image.tags)
        repoDigestsJSON = InventoryJSON.encode(image.repoDigests)
        size = image.size
        created = image.created
    }

    private var comparableColumns: [String?] {
        [imageID, tagsJSON, repoDigestsJSON, size.map { String($0) }, created.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) }]
    }

    public var tags: [String] { InventoryJSON.decode(tagsJSON) ?? [] }
    public var repoDigests: [String] { InventoryJSON.decode(repoDigestsJSON) ?? [] }
}

/// A state change of a container: from the engine's event stream while Unity follows it
/// (`ContainerEventHistory`), or seen between two discoveries (`ContainerReconciliation`).
public final class ContainerEventRecord: Model, @unchecked Sendable {
    public static let schema = "container_events"

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case created, started, died, oom, healthChanged = "health_changed", removed
        /// Only from the event stream: a discovery cannot see signals or a pause that was undone.
        case killed, paused, unpaused
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "host_id") public var hostID: UUID
    @Field(key: "container_id") public var containerID: UUID
    @Field(key: "kind") public var kind: String
    /// `exit_code=137`, `healthy→unhealthy`; nil when the kind says it all.
    @OptionalField(key: "detail") public var detail: String?
    @Field(key: "at") public var at: Date

    public init() {}

    public init(hostID: UUID, containerID: UUID, kind: Kind, detail: String?, at: Date) {
        self.hostID = hostID; self.containerID = containerID; self.kind = kind.rawValue; self.detail = detail; self.at = at
    }
}

/// 024 – containers: containers and images per host (rows kept with `removed_at` when gone).
public struct CreateContainerInventory: AsyncMigration {
    public let name = "024-containers-create-inventory"
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ContainerRecord.schema)
            .id()
            .field("host_id", .uuid, .required, .references(ContainerHostRecord.schema, "id", onDelete: .cascade))
            .field("engine_id", .string, .required)
            .field("name", .string, .required)
            .field("image_reference", .string)
            .field("image_id", .string)
            .field("repo_digests", .string, .required)
            .field("created", .datetime)
            .field("started", .datetime)
            .field("finished", .datetime)
            .field("state", .string, .required)
            .field("health", .string)
            .field("restart_count", .int, .required)
            .field("exit_code", .int)
            .field("oom_killed", .bool, .required)
            .field("ports", .string, .required)
            .field("mounts", .string, .required)
            .field("networks", .string, .required)
            .field("labels", .string, .required)
            .field("compose_project", .string)
            .field("compose_service", .string)
            .field("compose_working_dir", .string)
            .field("compose_config_files", .string, .required)
            .field("pod", .string)
            .field("restart_policy", .string)
            .field("env_names", .string, .required)
            .field("first_seen_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("removed_at", .datetime)
            .create()
        try await database.schema(ContainerImageRecord.schema)
            .id()
            .field("host_id", .uuid, .required, .references(ContainerHostRecord.schema, "id", onDelete: .cascade))
            .field("image_id", .string, .required)
            .field("tags", .string, .required)
            .field("repo_digests", .string, .required)
            .field("size", .int64)
            .field("created", .datetime)
            .field("first_seen_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("removed_at", .datetime)
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ContainerImageRecord.schema).delete()
        try await database.schema(ContainerRecord.schema).delete()
    }
}

/// 025 – containers: state changes between discoveries.
public struct CreateContainerEvents: AsyncMigration {
    public let name = "025-containers-create-events"
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ContainerEventRecord.schema)
            .id()
            .field("host_id", .uuid, .required, .references(ContainerHostRecord.schema, "id", onDelete: .cascade))
            .field("container_id", .uuid, .required, .references(ContainerRecord.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("detail", .string)
            .field("at", .datetime, .required)
            .create()
    }

    public func revert(on database: any Database) async throws { try await database.schema(ContainerEventRecord.schema).delete() }
}
