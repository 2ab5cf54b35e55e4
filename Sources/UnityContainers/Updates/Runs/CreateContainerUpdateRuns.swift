import FluentKit

/// 034 – containers: update runs (one row per requested update, kept after the container is gone).
public struct CreateContainerUpdateRuns: AsyncMigration {
    public let name = "034-containers-create-update-runs"
    public init() {}

    public func prepare(on database: any Database) async throws {
        // No foreign keys to containers or hosts: an update's history must survive both.
        try await database.schema(ContainerUpdateRunRecord.schema)
            .id()
            .field("container_id", .uuid, .required)
            .field("container_name", .string, .required)
            .field("host_id", .uuid, .required)
            .field("from_reference", .string)
            .field("from_tag", .string)
            .field("from_digest", .string)
            .field("to_reference", .string, .required)
            .field("to_digest", .string)
            .field("trigger", .string, .required)
            .field("requested_by", .string, .required)
            .field("override_window", .bool, .required)
            .field("state", .string, .required)
            .field("summary", .string)
            .field("facts", .string, .required)
            .field("active_container_id", .uuid)
            .field("owner_replica", .string)
            .field("heartbeat_at", .datetime)
            .field("claim_token", .string)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .unique(on: "active_container_id", name: "container_update_runs_one_active")
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ContainerUpdateRunRecord.schema).delete()
    }
}
