import Fluent

/// 031 – containers: registry credentials for update checks (password sealed).
struct CreateRegistryCredentials: AsyncMigration {
    let name = "031-containers-registry-credentials"

    func prepare(on database: any Database) async throws {
        try await database.schema(RegistryCredentialRecord.schema)
            .id()
            .field("host", .string, .required)
            .field("username", .string)
            .field("sealed_password", .string)
            .field("ca_certificate_id", .uuid)
            .field("allow_insecure_http", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "host")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RegistryCredentialRecord.schema).delete()
    }
}
