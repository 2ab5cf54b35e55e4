import Fluent

/// 026 – platform: sign-in attempts reserved before the password is checked (see `LoginThrottle`). The audit
/// log still records every sign-in; this table only holds the attempts inside the throttle window.
struct CreateLoginAttemptSlots: AsyncMigration {
    let name = "026-platform-create-login-attempt-slots"

    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttemptSlot.schema)
            .id()
            .field("scope_key", .string, .required)
            .field("slot", .int, .required)
            .field("reserved_at", .datetime, .required)
            .unique(on: "scope_key", "slot")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginAttemptSlot.schema).delete()
    }
}
