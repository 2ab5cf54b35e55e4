import Foundation
import Vapor

/// A registry credential as the API shows it: never the password, only whether one is stored.
struct RegistryCredentialDTO: Content, APIExample {
    var id: UUID
    var host: String
    var username: String?
    var hasPassword: Bool
    var caCertificateId: UUID?
    var allowInsecureHttp: Bool
    var createdAt: Date?
    var updatedAt: Date?

    init(_ row: RegistryCredentialRecord) throws {
        id = try row.requireID(); host = row.host; username = row.username; hasPassword = row.sealedPassword != nil
        caCertificateId = row.caCertificateID; allowInsecureHttp = row.allowInsecureHTTP
        createdAt = row.createdAt; updatedAt = row.updatedAt
    }

    private init() {
        id = UUID(); host = "ghcr.io"; username = "homelab-bot"; hasPassword = true; caCertificateId = nil
        allowInsecureHttp = false; createdAt = Date(); updatedAt = Date()
    }

    static var example: RegistryCredentialDTO { .init() }
}

/// Create: `host` is required; `password` (or a personal access token) is write-only. Update: every
/// field is optional and an absent one keeps its value; `password: ""` removes the stored one.
struct RegistryCredentialBody: Content, APIExample {
    var host: String?
    var username: String?
    var password: String?
    /// A CA certificate from the inventory that signed the registry's TLS certificate.
    var caCertificateId: UUID?
    /// Plain HTTP to this host: only for a registry on a trusted network without TLS.
    var allowInsecureHttp: Bool?

    static var example: RegistryCredentialBody {
        .init(host: "ghcr.io", username: "homelab-bot", password: "ghp_…", caCertificateId: nil, allowInsecureHttp: false)
    }
}
