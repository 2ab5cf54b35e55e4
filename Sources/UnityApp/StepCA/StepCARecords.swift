import Fluent
import Foundation

/// A step-ca (smallstep) CA Unity signs through: its URL, the root fetched and pinned at creation,
/// and one JWK provisioner. The provisioner's private key exists only sealed: either the private
/// JWK itself, or step-ca's `encryptedKey` JWE plus its sealed password (decrypted in memory).
final class StepCAAuthorityRecord: Model, @unchecked Sendable {
    static let schema = "step_ca_authorities"
    static let keyPurpose = "step-ca-provisioner-key"
    static let passwordPurpose = "step-ca-provisioner-password"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "url") var url: String
    /// Lowercase hex SHA-256 of the root certificate's DER.
    @Field(key: "root_fingerprint") var rootFingerprint: String
    @Field(key: "root_pem") var rootPEM: String
    @Field(key: "provisioner_name") var provisionerName: String
    /// `jwk` (the only kind with a sign API token Unity can mint).
    @Field(key: "provisioner_kind") var provisionerKind: String
    /// Sealed private JWK JSON, or sealed JWE compact string when `sealedProvisionerPassword` is set.
    @Field(key: "sealed_provisioner_key") var sealedProvisionerKey: String
    @OptionalField(key: "sealed_provisioner_password") var sealedProvisionerPassword: String?
    @OptionalField(key: "acme_provisioner") var acmeProvisioner: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// An SSH certificate Unity had step-ca sign, for a stored key or a pasted public key.
final class SSHCertificateRecord: Model, @unchecked Sendable {
    static let schema = "ssh_certificates"

    @ID(key: .id) var id: UUID?
    @Field(key: "authority_id") var authorityID: UUID
    @OptionalField(key: "ssh_key_id") var sshKeyID: UUID?
    /// user or host
    @Field(key: "cert_type") var certType: String
    @Field(key: "key_id") var keyID: String
    /// JSON array of principals.
    @Field(key: "principals") var principals: String
    /// Decimal: an unsigned 64-bit serial does not fit every database's integer.
    @Field(key: "serial") var serial: String
    @Field(key: "valid_after") var validAfter: Date
    @Field(key: "valid_before") var validBefore: Date
    /// `<type>-cert-v01@openssh.com <base64>`: the line sshd and ssh read.
    @Field(key: "certificate") var certificate: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// 016 – step-ca authorities and the SSH certificates signed through them.
struct CreateStepCA: AsyncMigration {
    let name = "016-credentials-step-ca"

    func prepare(on database: any Database) async throws {
        try await database.schema(StepCAAuthorityRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("url", .string, .required)
            .field("root_fingerprint", .string, .required)
            .field("root_pem", .string, .required)
            .field("provisioner_name", .string, .required)
            .field("provisioner_kind", .string, .required)
            .field("sealed_provisioner_key", .string, .required)
            .field("sealed_provisioner_password", .string)
            .field("acme_provisioner", .string)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
        try await database.schema(SSHCertificateRecord.schema)
            .id()
            .field("authority_id", .uuid, .required)
            .field("ssh_key_id", .uuid)
            .field("cert_type", .string, .required)
            .field("key_id", .string, .required)
            .field("principals", .string, .required)
            .field("serial", .string, .required)
            .field("valid_after", .datetime, .required)
            .field("valid_before", .datetime, .required)
            .field("certificate", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SSHCertificateRecord.schema).delete()
        try await database.schema(StepCAAuthorityRecord.schema).delete()
    }
}

extension StepCAAuthorityRecord: HasSealedColumns, RowSealed {
    static let keyColumn = SealedColumn(table: schema, column: "sealed_provisioner_key", purpose: keyPurpose)
    static let passwordColumn = SealedColumn(table: schema, column: "sealed_provisioner_password", purpose: passwordPurpose)
    static let sealedColumns = [keyColumn, passwordColumn]
}
