import Fluent

// Credentials and infrastructure tables (007–). Append-only, explicit names, SQLite + PostgreSQL.

struct CreateSSHKeysAndCredentials: AsyncMigration {
    let name = "007-credentials-create-ssh-keys-and-server-credentials"

    func prepare(on database: any Database) async throws {
        try await database.schema(SSHKeyRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("key_type", .string, .required)
            .field("bits", .int)
            .field("comment", .string, .required)
            .field("tags", .string, .required)
            .field("public_key", .string, .required)
            .field("fingerprint", .string, .required)
            .field("sealed_private_key", .string, .required)
            .field("last_used_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name")
            .unique(on: "fingerprint")
            .create()
        try await database.schema(ServerCredential.schema)
            .id()
            .field("name", .string, .required)
            .field("username", .string, .required)
            .field("sealed_password", .string)
            .field("sealed_sudo_password", .string)
            .field("ssh_key_id", .uuid, .references(SSHKeyRecord.schema, "id", onDelete: .restrict))
            .field("port", .int)
            .field("notes", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServerCredential.schema).delete()
        try await database.schema(SSHKeyRecord.schema).delete()
    }
}

struct CreateServers: AsyncMigration {
    let name = "008-infrastructure-create-servers"

    func prepare(on database: any Database) async throws {
        try await database.schema(MonitoredServer.schema)
            .id()
            .field("name", .string, .required)
            .field("address", .string, .required)
            .field("port", .int, .required)
            .field("username", .string, .required)
            .field("tags", .string, .required)
            .field("enabled", .bool, .required)
            .field("interval_seconds", .int, .required)
            .field("ssh_key_id", .uuid, .references(SSHKeyRecord.schema, "id", onDelete: .restrict))
            .field("credential_id", .uuid, .references(ServerCredential.schema, "id", onDelete: .restrict))
            .field("use_sudo", .bool, .required)
            .field("jump_server_id", .uuid, .references(MonitoredServer.schema, "id", onDelete: .setNull))
            .field("status", .string, .required)
            .field("last_seen_at", .datetime)
            .field("last_error", .string)
            .field("host_key_pins", .string, .required)
            .field("presented_host_key", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(MonitoredServer.schema).delete() }
}
