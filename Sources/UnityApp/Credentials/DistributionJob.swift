import Fluent
import Foundation

/// An install / revoke / rotate job across servers, with per-server results as they finish.
final class DistributionJob: Model, @unchecked Sendable {
    static let schema = "distribution_jobs"

    enum Status: String, Codable, CaseIterable, Sendable {
        case running, succeeded, partial, failed, interrupted
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "operation") var operation: String
    @Field(key: "key_id") var keyID: UUID
    @OptionalField(key: "new_key_id") var newKeyID: UUID?
    @Field(key: "status") var status: String
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "authorized_keys_path") var authorizedKeysPath: String
    /// JSON array of server ids, in the order given.
    @Field(key: "server_ids") var serverIDs: String
    /// JSON array of `DistributionServerResult`, appended as servers finish.
    @Field(key: "results") var results: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    /// Why the job ended as it did, when the results alone do not say (`interrupted`).
    @OptionalField(key: "status_reason") var statusReason: String?
    /// The replica running the job and its last sign of life (see `BackgroundJobs`).
    @OptionalField(key: "owner_replica") var ownerReplica: String?
    @OptionalField(key: "heartbeat_at") var heartbeatAt: Date?

    init() {}
}

/// Which servers a key is installed on (by Unity), and when that was last proven.
final class KeyInstallation: Model, @unchecked Sendable {
    static let schema = "ssh_key_installations"

    @ID(key: .id) var id: UUID?
    @Field(key: "key_id") var keyID: UUID
    @Field(key: "server_id") var serverID: UUID
    @Field(key: "verified_at") var verifiedAt: Date

    init() {}

    init(keyID: UUID, serverID: UUID, verifiedAt: Date) {
        self.keyID = keyID
        self.serverID = serverID
        self.verifiedAt = verifiedAt
    }
}

/// 012 – distribution jobs and key installations.
struct CreateDistributions: AsyncMigration {
    let name = "012-credentials-distributions"

    func prepare(on database: any Database) async throws {
        try await database.schema(DistributionJob.schema)
            .id()
            .field("operation", .string, .required)
            .field("key_id", .uuid, .required)
            .field("new_key_id", .uuid)
            .field("status", .string, .required)
            .field("requested_by", .string, .required)
            .field("authorized_keys_path", .string, .required)
            .field("server_ids", .string, .required)
            .field("results", .string, .required)
            .field("created_at", .datetime)
            .field("finished_at", .datetime)
            .create()
        try await database.schema(KeyInstallation.schema)
            .id()
            .field("key_id", .uuid, .required)
            .field("server_id", .uuid, .required)
            .field("verified_at", .datetime, .required)
            .unique(on: "key_id", "server_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(KeyInstallation.schema).delete()
        try await database.schema(DistributionJob.schema).delete()
    }
}
