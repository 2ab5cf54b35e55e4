import Fluent
import Foundation

/// Where a certificate is deployed and how: remembered at the first deploy so a renewal is
/// written, reloaded and verified in the same places, and the daily check can tell whether each
/// service still presents the certificate the inventory says it should.
final class CertificateDeploymentRecord: Model, @unchecked Sendable {
    static let schema = "certificate_deployments"

    @ID(key: .id) var id: UUID?
    @Field(key: "certificate_id") var certificateID: UUID
    @Field(key: "server_id") var serverID: UUID
    @Field(key: "certificate_path") var certificatePath: String
    @OptionalField(key: "chain_path") var chainPath: String?
    @Field(key: "key_path") var keyPath: String
    @OptionalField(key: "owner") var owner: String?
    @Field(key: "certificate_mode") var certificateMode: String
    @Field(key: "key_mode") var keyMode: String
    @Field(key: "reload_command") var reloadCommand: String
    @Field(key: "verify_port") var verifyPort: Int
    @OptionalField(key: "verify_server_name") var verifyServerName: String?
    /// deployed, renewed_but_not_served, reload_failed, write_failed, verify_unreachable
    @OptionalField(key: "last_outcome") var lastOutcome: String?
    @OptionalField(key: "last_message") var lastMessage: String?
    @OptionalField(key: "deployed_at") var deployedAt: Date?
    /// The serial the service presented at the last deploy or daily check.
    @OptionalField(key: "served_serial") var servedSerial: String?
    @OptionalField(key: "verified_at") var verifiedAt: Date?
    /// serving, not_serving, unreachable: the daily check's verdict.
    @OptionalField(key: "verification") var verification: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
