import Fluent
import SQLKit

/// 017 – ACME attempts (issuance runs in the background), remembered certificate deployments,
/// and the daily credential audit archive.
struct CreateCredentialOperations: AsyncMigration {
    let name = "017-credentials-attempts-deployments-archives"

    func prepare(on database: any Database) async throws {
        try await database.schema(ACMEAttemptRecord.schema)
            .id()
            .field("order_id", .uuid, .required)
            .field("trigger", .string, .required)
            .field("phase", .string, .required)
            .field("outcome", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("error", .string)
            .field("serial", .string)
            .field("deployments", .string)
            .create()
        try await createIndex(on: database, name: "acme_attempts_order_started", table: ACMEAttemptRecord.schema, columns: ["order_id", "started_at"])
        try await database.schema(CertificateDeploymentRecord.schema)
            .id()
            .field("certificate_id", .uuid, .required)
            .field("server_id", .uuid, .required)
            .field("certificate_path", .string, .required)
            .field("chain_path", .string)
            .field("key_path", .string, .required)
            .field("owner", .string)
            .field("certificate_mode", .string, .required)
            .field("key_mode", .string, .required)
            .field("reload_command", .string, .required)
            .field("verify_port", .int, .required)
            .field("verify_server_name", .string)
            .field("last_outcome", .string)
            .field("last_message", .string)
            .field("deployed_at", .datetime)
            .field("served_serial", .string)
            .field("verified_at", .datetime)
            .field("verification", .string)
            .field("created_at", .datetime)
            .unique(on: "certificate_id", "server_id", "certificate_path")
            .create()
        try await database.schema(AuditArchiveRecord.schema)
            .id()
            .field("day", .string, .required)
            .field("events", .int, .required)
            .field("content", .string, .required)
            .field("sha256", .string, .required)
            .field("previous_sha256", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "day")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditArchiveRecord.schema).delete()
        try await database.schema(CertificateDeploymentRecord.schema).delete()
        try await database.schema(ACMEAttemptRecord.schema).delete()
    }
}

/// 018 – ACME HTTP-01 through a monitored server's webroot over SSH.
struct AddACMEWebroot: AsyncMigration {
    let name = "018-credentials-acme-webroot"

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema(ACMEOrderRecord.schema).field("webroot_server_id", .uuid).update()
        try await database.schema(ACMEOrderRecord.schema).field("webroot_path", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ACMEOrderRecord.schema).deleteField("webroot_path").update()
        try await database.schema(ACMEOrderRecord.schema).deleteField("webroot_server_id").update()
    }
}

/// 019 – at most one running ACME attempt per order, enforced by the database (a double click or
/// two replicas cannot start two): a partial unique index, which SQLite and PostgreSQL both have.
struct AddOneRunningACMEAttempt: AsyncMigration {
    let name = "019-credentials-acme-one-running-attempt"

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE UNIQUE INDEX acme_attempts_one_running ON acme_attempts (order_id) WHERE outcome = 'running'").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX acme_attempts_one_running").run()
    }
}
