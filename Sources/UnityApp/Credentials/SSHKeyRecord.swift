import Fluent
import Vapor

/// A stored SSH key. The private key is sealed by the SecretBox (purpose `ssh_keys.private_key`);
/// the public line and fingerprint are kept in clear for lists and `authorized_keys`.
final class SSHKeyRecord: Model, @unchecked Sendable {
    static let schema = "ssh_keys"
    static let privateKeyPurpose = "ssh_keys.private_key"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "key_type") var keyType: String
    @OptionalField(key: "bits") var bits: Int?
    @Field(key: "comment") var comment: String
    /// JSON array of strings.
    @Field(key: "tags") var tags: String
    @Field(key: "public_key") var publicKey: String
    @Field(key: "fingerprint") var fingerprint: String
    @Field(key: "sealed_private_key") var sealedPrivateKey: String
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// Login material for servers that do not use a key alone: username, password, sudo password,
/// optionally a key. Secrets sealed (purposes `server_credentials.password` / `.sudo_password`).
final class ServerCredential: Model, @unchecked Sendable {
    static let schema = "server_credentials"
    static let passwordPurpose = "server_credentials.password"
    static let sudoPasswordPurpose = "server_credentials.sudo_password"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "username") var username: String
    @OptionalField(key: "sealed_password") var sealedPassword: String?
    @OptionalField(key: "sealed_sudo_password") var sealedSudoPassword: String?
    @OptionalField(key: "ssh_key_id") var sshKeyID: UUID?
    @OptionalField(key: "port") var port: Int?
    @Field(key: "notes") var notes: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension SSHKeyRecord: HasSealedColumns, RowSealed {
    static let privateKeyColumn = SealedColumn(table: schema, column: "sealed_private_key", purpose: privateKeyPurpose)
    static let sealedColumns = [privateKeyColumn]
}

extension ServerCredential: HasSealedColumns, RowSealed {
    static let passwordColumn = SealedColumn(table: schema, column: "sealed_password", purpose: passwordPurpose)
    static let sudoPasswordColumn = SealedColumn(table: schema, column: "sealed_sudo_password", purpose: sudoPasswordPurpose)
    static let sealedColumns = [passwordColumn, sudoPasswordColumn]
}
