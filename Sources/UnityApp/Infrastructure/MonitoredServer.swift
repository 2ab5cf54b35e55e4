import Fluent
import Vapor

/// A server Unity reaches over SSH. (Not named `Server`: that name collides with Vapor's.)
final class MonitoredServer: Model, @unchecked Sendable {
    static let schema = "servers"

    enum Status: String, Codable, CaseIterable, Sendable {
        case unknown, online, offline, error
        case hostKeyChanged = "host_key_changed"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "address") var address: String
    @Field(key: "port") var port: Int
    @Field(key: "username") var username: String
    /// JSON array of strings.
    @Field(key: "tags") var tags: String
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "interval_seconds") var intervalSeconds: Int
    @OptionalField(key: "ssh_key_id") var sshKeyID: UUID?
    @OptionalField(key: "credential_id") var credentialID: UUID?
    @Field(key: "use_sudo") var useSudo: Bool
    @OptionalField(key: "jump_server_id") var jumpServerID: UUID?
    @Field(key: "status") var status: String
    @OptionalField(key: "last_seen_at") var lastSeenAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    /// When the last collection was attempted (successful or not): the scheduler's due clock.
    @OptionalField(key: "last_collection_at") var lastCollectionAt: Date?
    /// JSON array of pinned host keys (`{"algorithm","key_base64"}`); empty until first contact.
    @Field(key: "host_key_pins") var hostKeyPins: String
    /// The key a server presented that did not match its pins, waiting for an admin's decision.
    @OptionalField(key: "presented_host_key") var presentedHostKey: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var statusValue: Status { Status(rawValue: status) ?? .unknown }
}
