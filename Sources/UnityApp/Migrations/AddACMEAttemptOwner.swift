import Fluent

/// 021 – ACME attempts name the replica running them and its heartbeat (replacing the fixed
/// 15-minute rule for rows that have them), so a restart ends a dead process's attempt at once.
struct AddACMEAttemptOwner: AsyncMigration {
    let name = "022-credentials-acme-attempt-owner"

    func prepare(on database: any Database) async throws {
        try await database.schema(ACMEAttemptRecord.schema).field("owner_replica", .string).update()
        try await database.schema(ACMEAttemptRecord.schema).field("heartbeat_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ACMEAttemptRecord.schema).deleteField("heartbeat_at").update()
        try await database.schema(ACMEAttemptRecord.schema).deleteField("owner_replica").update()
    }
}
