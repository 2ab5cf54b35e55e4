import Fluent
import Foundation
import UnityCertificates

/// A certificate in the inventory: imported, issued by Unity, or discovered on a server. The
/// private key, when Unity has it, exists only sealed by the SecretBox.
final class CertificateRecord: Model, @unchecked Sendable {
    static let schema = "certificates"
    static let keyPurpose = "certificate-private-key"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// imported, internal_ca, self_signed, discovered, acme, step_ca
    @Field(key: "source") var source: String
    @Field(key: "subject") var subject: String
    @Field(key: "issuer") var issuer: String
    /// JSON array: DNS names, then IP addresses.
    @Field(key: "sans") var sans: String
    @Field(key: "serial") var serial: String
    @Field(key: "not_before") var notBefore: Date
    @Field(key: "not_after") var notAfter: Date
    @Field(key: "key_type") var keyType: String
    @Field(key: "fingerprint") var fingerprint: String
    @Field(key: "is_ca") var isCA: Bool
    @Field(key: "self_signed") var selfSigned: Bool
    @Field(key: "certificate_pem") var certificatePEM: String
    @Field(key: "chain_pem") var chainPEM: String
    @OptionalField(key: "sealed_private_key") var sealedPrivateKey: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    func fill(from leaf: ParsedCertificate, chain: [ParsedCertificate]) {
        subject = leaf.subject
        issuer = leaf.issuer
        sans = JSONList.encode(leaf.dnsNames + leaf.ipAddresses)
        serial = leaf.serialHex
        notBefore = leaf.notBefore
        notAfter = leaf.notAfter
        keyType = leaf.keyKind.description
        fingerprint = leaf.sha256Fingerprint
        isCA = leaf.isCA
        selfSigned = leaf.isSelfSigned
        certificatePEM = leaf.pem
        chainPEM = chain.map(\.pem).joined()
    }
}

/// Where a certificate was seen: served on a port, or a file on a server.
final class CertificateSighting: Model, @unchecked Sendable {
    static let schema = "certificate_sightings"

    @ID(key: .id) var id: UUID?
    @Field(key: "certificate_id") var certificateID: UUID
    @Field(key: "server_id") var serverID: UUID
    /// `tls:443` or a file path.
    @Field(key: "location") var location: String
    @Field(key: "seen_at") var seenAt: Date

    init() {}
}

/// Unity's own certificate authority (one), its key sealed.
final class CertificateAuthorityRecord: Model, @unchecked Sendable {
    static let schema = "certificate_authorities"
    static let keyPurpose = "internal-ca-private-key"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "root_pem") var rootPEM: String
    @Field(key: "sealed_private_key") var sealedPrivateKey: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// 013 – certificate inventory, sightings, the internal CA.
struct CreateCertificates: AsyncMigration {
    let name = "013-credentials-certificates"

    func prepare(on database: any Database) async throws {
        try await database.schema(CertificateRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("source", .string, .required)
            .field("subject", .string, .required)
            .field("issuer", .string, .required)
            .field("sans", .string, .required)
            .field("serial", .string, .required)
            .field("not_before", .datetime, .required)
            .field("not_after", .datetime, .required)
            .field("key_type", .string, .required)
            .field("fingerprint", .string, .required)
            .field("is_ca", .bool, .required)
            .field("self_signed", .bool, .required)
            .field("certificate_pem", .string, .required)
            .field("chain_pem", .string, .required)
            .field("sealed_private_key", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "fingerprint")
            .create()
        try await createIndex(on: database, name: "certificates_not_after", table: CertificateRecord.schema, columns: ["not_after"])
        try await database.schema(CertificateSighting.schema)
            .id()
            .field("certificate_id", .uuid, .required)
            .field("server_id", .uuid, .required)
            .field("location", .string, .required)
            .field("seen_at", .datetime, .required)
            .unique(on: "certificate_id", "server_id", "location")
            .create()
        try await database.schema(CertificateAuthorityRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("root_pem", .string, .required)
            .field("sealed_private_key", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [CertificateAuthorityRecord.schema, CertificateSighting.schema, CertificateRecord.schema] {
            try await database.schema(schema).delete()
        }
    }
}

extension CertificateRecord: HasSealedColumns, RowSealed {
    static let keyColumn = SealedColumn(table: schema, column: "sealed_private_key", purpose: keyPurpose)
    static let sealedColumns = [keyColumn]
}

extension CertificateAuthorityRecord: HasSealedColumns, RowSealed {
    static let keyColumn = SealedColumn(table: schema, column: "sealed_private_key", purpose: keyPurpose)
    static let sealedColumns = [keyColumn]
}
