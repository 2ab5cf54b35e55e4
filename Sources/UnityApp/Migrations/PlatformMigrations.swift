import Fluent
import SQLKit

// Platform tables (001–). Append-only: a shipped migration is never edited; a change is a new one.
// Every name is explicit because Fluent's default name includes the module and type name, which
// would re-run a migration after a rename. Only operations both SQLite and PostgreSQL accept.

struct CreateUsers: AsyncMigration {
    let name = "001-platform-create-users"

    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("disabled", .bool, .required)
            .field("last_login_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(User.schema).delete() }
}

struct CreateRefreshTokens: AsyncMigration {
    let name = "002-platform-create-refresh-tokens"

    func prepare(on database: any Database) async throws {
        try await database.schema(RefreshToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("family_id", .uuid, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(RefreshToken.schema).delete() }
}

struct CreateAPIKeys: AsyncMigration {
    let name = "003-platform-create-api-keys"

    func prepare(on database: any Database) async throws {
        try await database.schema(APIKey.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_prefix", .string, .required)
            .field("token_hash", .string, .required)
            .field("scopes", .string, .required)
            .field("expires_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(APIKey.schema).delete() }
}

struct CreateAuditEvents: AsyncMigration {
    let name = "004-platform-create-audit-events"

    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("occurred_at", .datetime, .required)
            .field("actor_type", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string)
            .field("action", .string, .required)
            .field("target_type", .string)
            .field("target_id", .string)
            .field("outcome", .string, .required)
            .field("status_code", .int)
            .field("client_address", .string)
            .field("user_agent", .string)
            .field("request_id", .string)
            .field("details", .string, .required)
            .create()
        // Listing is newest first and login throttling counts recent failures by action.
        try await createIndex(on: database, name: "audit_events_occurred_at", table: AuditEvent.schema, columns: ["occurred_at"])
        try await createIndex(on: database, name: "audit_events_action_occurred_at", table: AuditEvent.schema, columns: ["action", "occurred_at"])
    }

    func revert(on database: any Database) async throws { try await database.schema(AuditEvent.schema).delete() }
}

struct CreateTaskTables: AsyncMigration {
    let name = "005-platform-create-task-runs-and-leases"

    func prepare(on database: any Database) async throws {
        try await database.schema(TaskRun.schema)
            .id()
            .field("task", .string, .required)
            .field("replica", .string, .required)
            .field("trigger", .string, .required)
            .field("status", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("duration_ms", .int)
            .field("error", .string)
            .field("summary", .string)
            .create()
        try await createIndex(on: database, name: "task_runs_task_started_at", table: TaskRun.schema, columns: ["task", "started_at"])
        try await database.schema(TaskLease.schema)
            .field("task", .string, .identifier(auto: false))
            .field("version", .int, .required)
            .field("owner", .string)
            .field("lease_until", .datetime)
            .field("next_due_at", .datetime, .required)
            .field("last_run_id", .uuid)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TaskLease.schema).delete()
        try await database.schema(TaskRun.schema).delete()
    }
}

struct CreateSystemTables: AsyncMigration {
    let name = "006-platform-create-secrets-settings-sessions"

    func prepare(on database: any Database) async throws {
        try await database.schema(SystemSecret.schema)
            .field("name", .string, .identifier(auto: false))
            .field("sealed_value", .string, .required)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(Setting.schema)
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(WebSession.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("csrf_token", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebSession.schema).delete()
        try await database.schema(Setting.schema).delete()
        try await database.schema(SystemSecret.schema).delete()
    }
}

func createIndex(on database: any Database, name: String, table: String, columns: [String]) async throws {
    guard let sql = database as? any SQLDatabase else { return }
    var builder = sql.create(index: name).on(table)
    for column in columns { builder = builder.column(column) }
    try await builder.run()
}
