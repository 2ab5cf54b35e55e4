import Fluent
import Foundation

/// How Unity signs in to one registry host for update checks: a username and a password or personal
/// access token (sealed, never returned), an optional CA from the certificate inventory for a private
/// registry's TLS, and plain HTTP only when an admin opted in for that host.
final class RegistryCredentialRecord: Model, @unchecked Sendable {
    static let schema = "registry_credentials"
    static let passwordPurpose = "registry-password"

    @ID(key: .id) var id: UUID?
    /// `docker.io`, `ghcr.io`, `registry.home.arpa:5000`: the registry part of an image reference.
    @Field(key: "host") var host: String
    @OptionalField(key: "username") var username: String?
    @OptionalField(key: "sealed_password") var sealedPassword: String?
    @OptionalField(key: "ca_certificate_id") var caCertificateID: UUID?
    @Field(key: "allow_insecure_http") var allowInsecureHTTP: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension RegistryCredentialRecord: HasSealedColumns, RowSealed {
    static let passwordColumn = SealedColumn(table: schema, column: "sealed_password", purpose: passwordPurpose)
    static let sealedColumns = [passwordColumn]
}
