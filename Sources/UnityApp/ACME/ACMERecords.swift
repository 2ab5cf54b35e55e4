import Fluent
import Foundation

/// One account at one ACME CA. The account key and the EAB HMAC exist only sealed.
final class ACMEAccountRecord: Model, @unchecked Sendable {
    static let schema = "acme_accounts"
    static let accountKeyPurpose = "acme-account-key"
    static let eabPurpose = "acme-eab-hmac"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// letsencrypt, letsencrypt-staging, zerossl or custom
    @Field(key: "preset") var preset: String
    @Field(key: "directory_url") var directoryURL: String
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "eab_kid") var eabKeyID: String?
    @OptionalField(key: "sealed_eab_hmac") var sealedEABHMAC: String?
    @Field(key: "sealed_account_key") var sealedAccountKey: String
    @OptionalField(key: "account_url") var accountURL: String?
    /// The CA's account status: valid, deactivated, revoked.
    @Field(key: "status") var status: String
    /// Extra trust for a private CA (step-ca, Pebble): PEM roots added to the system store.
    @OptionalField(key: "trusted_roots_pem") var trustedRootsPEM: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// What to keep issued from an account, how to prove control, and how the last attempt went.
/// `certificate_id` points at the current certificate in the inventory (source `acme`).
final class ACMEOrderRecord: Model, @unchecked Sendable {
    static let schema = "acme_orders"
    static let dnsSecretsPurpose = "acme-dns-provider-secrets"

    @ID(key: .id) var id: UUID?
    @Field(key: "account_id") var accountID: UUID
    /// JSON array of DNS names / IP addresses.
    @Field(key: "names") var names: String
    /// http-01 or dns-01
    @Field(key: "challenge") var challenge: String
    @OptionalField(key: "http_host") var httpHost: String?
    @OptionalField(key: "http_port") var httpPort: Int?
    /// HTTP-01 by writing the token under this directory on a monitored server over SSH, for a
    /// web server that already answers on port 80 there (instead of Unity's own listener).
    @OptionalField(key: "webroot_server_id") var webrootServerID: UUID?
    @OptionalField(key: "webroot_path") var webrootPath: String?
    @OptionalField(key: "dns_provider") var dnsProvider: String?
    /// JSON object of the provider's non-secret settings.
    @OptionalField(key: "dns_settings") var dnsSettings: String?
    /// Sealed JSON object of the provider's secrets (API tokens, TSIG secrets, passwords).
    @OptionalField(key: "sealed_dns_secrets") var sealedDNSSecrets: String?
    @Field(key: "key_type") var keyType: String
    /// pending, valid, failed, revoked
    @Field(key: "status") var status: String
    @OptionalField(key: "certificate_id") var certificateID: UUID?
    @OptionalField(key: "last_attempt_at") var lastAttemptAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "next_renewal_at") var nextRenewalAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// 015 – ACME accounts and the certificates Unity keeps issued from them.
struct CreateACME: AsyncMigration {
    let name = "015-credentials-acme"

    func prepare(on database: any Database) async throws {
        try await database.schema(ACMEAccountRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("preset", .string, .required)
            .field("directory_url", .string, .required)
            .field("email", .string)
            .field("eab_kid", .string)
            .field("sealed_eab_hmac", .string)
            .field("sealed_account_key", .string, .required)
            .field("account_url", .string)
            .field("status", .string, .required)
            .field("trusted_roots_pem", .string)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
        try await database.schema(ACMEOrderRecord.schema)
            .id()
            .field("account_id", .uuid, .required)
            .field("names", .string, .required)
            .field("challenge", .string, .required)
            .field("http_host", .string)
            .field("http_port", .int)
            .field("dns_provider", .string)
            .field("dns_settings", .string)
            .field("sealed_dns_secrets", .string)
            .field("key_type", .string, .required)
            .field("status", .string, .required)
            .field("certificate_id", .uuid)
            .field("last_attempt_at", .datetime)
            .field("last_error", .string)
            .field("next_renewal_at", .datetime)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ACMEOrderRecord.schema).delete()
        try await database.schema(ACMEAccountRecord.schema).delete()
    }
}

extension ACMEAccountRecord: HasSealedColumns, RowSealed {
    static let accountKeyColumn = SealedColumn(table: schema, column: "sealed_account_key", purpose: accountKeyPurpose)
    static let eabColumn = SealedColumn(table: schema, column: "sealed_eab_hmac", purpose: eabPurpose)
    static let sealedColumns = [accountKeyColumn, eabColumn]
}

extension ACMEOrderRecord: HasSealedColumns, RowSealed {
    static let dnsSecretsColumn = SealedColumn(table: schema, column: "sealed_dns_secrets", purpose: dnsSecretsPurpose)
    static let sealedColumns = [dnsSecretsColumn]
}
