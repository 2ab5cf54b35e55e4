import Fluent
import SQLKit

/// 020 – platform: `users.credentials_version`, which access tokens carry so that changing a
/// password (or an admin setting it, or disabling the account) invalidates tokens issued before.
struct AddUserCredentialsVersion: AsyncMigration {
    let name = "020-platform-users-credentials-version"

    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .field("credentials_version", .int, .required, .sql(.default(0)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("credentials_version").update()
    }
}
