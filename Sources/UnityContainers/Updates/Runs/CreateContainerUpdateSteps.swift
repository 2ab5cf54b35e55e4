import FluentKit

/// 035 – containers: the journal lines of update runs, numbered per run, deleted with their run.
public struct CreateContainerUpdateSteps: AsyncMigration {
    public let name = "035-containers-create-update-steps"
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ContainerUpdateStepRecord.schema)
            .id()
            .field("run_id", .uuid, .required, .references(ContainerUpdateRunRecord.schema, "id", onDelete: .cascade))
            .field("sequence", .int, .required)
            .field("step", .string, .required)
            .field("outcome", .string, .required)
            .field("detail", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "run_id", "sequence")
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ContainerUpdateStepRecord.schema).delete()
    }
}
