import Fluent

/// 020 – distribution jobs name the replica running them and its heartbeat, and say why one was
/// interrupted, so a restart or another replica can end a job whose process is gone.
struct AddDistributionJobOwner: AsyncMigration {
    let name = "021-credentials-distribution-job-owner"

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema(DistributionJob.schema).field("owner_replica", .string).update()
        try await database.schema(DistributionJob.schema).field("heartbeat_at", .datetime).update()
        try await database.schema(DistributionJob.schema).field("status_reason", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DistributionJob.schema).deleteField("status_reason").update()
        try await database.schema(DistributionJob.schema).deleteField("heartbeat_at").update()
        try await database.schema(DistributionJob.schema).deleteField("owner_replica").update()
    }
}
