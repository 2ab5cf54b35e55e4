import Fluent
import Foundation
import UnityInfrastructure

/// A database instance on a server that Unity probes each cycle, over the server's SSH
/// connection, as the user (and with the password) of a stored credential.
final class MonitoredDatabase: Model, @unchecked Sendable {
    static let schema = "server_databases"

    @ID(key: .id) var id: UUID?
    @Field(key: "server_id") var serverID: UUID
    @Field(key: "engine") var engine: String
    @OptionalField(key: "host") var host: String?
    @OptionalField(key: "port") var port: Int?
    @OptionalField(key: "database_name") var databaseName: String?
    /// Database user when no credential is linked (trust/peer authentication); a credential's username wins.
    @OptionalField(key: "username") var username: String?
    /// Its username and password log in to the database; nil probes without a password.
    @OptionalField(key: "credential_id") var credentialID: UUID?
    /// JSON `DatabaseStatus` of the last successful probe.
    @OptionalField(key: "last_status") var lastStatus: String?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "probed_at") var probedAt: Date?

    init() {}

    var engineValue: DatabaseEngine? { DatabaseEngine(rawValue: engine) }
    var status: DatabaseStatus? { lastStatus.flatMap { try? JSONDecoder().decode(DatabaseStatus.self, from: Data($0.utf8)) } }
    var label: String { "\(engine)\(port.map { ":\($0)" } ?? "")" }
}

/// 014 – databases probed per server.
struct CreateMonitoredDatabases: AsyncMigration {
    let name = "014-infrastructure-server-databases"

    func prepare(on database: any Database) async throws {
        try await database.schema(MonitoredDatabase.schema)
            .id()
            .field("server_id", .uuid, .required)
            .field("engine", .string, .required)
            .field("host", .string)
            .field("port", .int)
            .field("database_name", .string)
            .field("username", .string)
            .field("credential_id", .uuid)
            .field("last_status", .string)
            .field("last_error", .string)
            .field("probed_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(MonitoredDatabase.schema).delete() }
}
