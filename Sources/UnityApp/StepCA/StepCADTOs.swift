import Foundation
import Vapor

/// A step-ca as the API shows it: never the provisioner key or its password, only whether the
/// key is stored encrypted (step-ca's `encryptedKey`) or as a plain JWK.
struct StepCAAuthorityDTO: Content, APIExample {
    var id: UUID
    var name: String
    var url: String
    var rootFingerprint: String
    var rootPem: String
    var provisionerName: String
    /// jwk
    var provisionerKind: String
    /// `encrypted_key` (JWE + password) or `jwk`.
    var provisionerKeyForm: String
    var acmeProvisioner: String?
    var acmeDirectoryUrl: String?
    var createdAt: Date?

    init(_ row: StepCAAuthorityRecord) throws {
        id = try row.requireID(); name = row.name; url = row.url; rootFingerprint = row.rootFingerprint; rootPem = row.rootPEM
        provisionerName = row.provisionerName; provisionerKind = row.provisionerKind
        provisionerKeyForm = row.sealedProvisionerPassword == nil ? "jwk" : "encrypted_key"
        acmeProvisioner = row.acmeProvisioner; acmeDirectoryUrl = StepCAAuthoritiesController.acmeDirectoryURL(row)
        createdAt = row.createdAt
    }

    private init() {
        id = UUID(); name = "homelab-ca"; url = "https://ca.home.arpa:9000"; rootFingerprint = String(repeating: "ab", count: 32)
        rootPem = "-----BEGIN CERTIFICATE-----\n…"; provisionerName = "unity@home.arpa"; provisionerKind = "jwk"
        provisionerKeyForm = "encrypted_key"; acmeProvisioner = "acme"
        acmeDirectoryUrl = "https://ca.home.arpa:9000/acme/acme/directory"; createdAt = Date()
    }

    static var example: StepCAAuthorityDTO { .init() }
    static var allowedValues: [String: [String]] { ["provisioner_kind": ["jwk"], "provisioner_key_form": ["jwk", "encrypted_key"]] }
}

/// Exactly one of `provisioner_jwk` (the private JWK, as an object or a JSON string) or
/// `encrypted_key` + `password` (as in step-ca's ca.json). Both are write-only.
struct StepCAAuthorityBody: Content, APIExample {
    var name: String?
    var url: String?
    var rootFingerprint: String?
    var provisionerName: String?
    var provisionerJwk: JSONValue?
    var encryptedKey: String?
    var password: String?
    /// Name of the CA's ACME provisioner, for `/acme/{name}/directory`.
    var acmeProvisioner: String?

    static var example: StepCAAuthorityBody {
        .init(name: "homelab-ca", url: "https://ca.home.arpa:9000", rootFingerprint: String(repeating: "ab", count: 32),
              provisionerName: "unity@home.arpa", provisionerJwk: ["kty": "EC", "crv": "P-256", "x": "…", "y": "…", "d": "…"],
              encryptedKey: "eyJhbGciOiJQQkVTMi1IUzI1NitBMTI4S1ciLCJlbmMiOiJBMjU2R0NNIiwi…", password: "…", acmeProvisioner: "acme")
    }
}

struct StepCAX509Body: Content, APIExample {
    /// DNS names and IP addresses; the first is the subject.
    var names: [String]?
    /// Inventory name (default: the first name).
    var name: String?
    var notAfter: Date?

    static var example: StepCAX509Body { .init(names: ["nas.home.arpa", "192.168.1.10"], name: "nas", notAfter: Date()) }
}

struct StepCASSHBody: Content, APIExample {
    /// A stored key (`/api/v1/ssh-keys`) or a `public_key` line, not both.
    var sshKeyId: UUID?
    var publicKey: String?
    /// user or host
    var certType: String?
    var keyId: String?
    var principals: [String]?
    /// 1 to 8760 (a year); default 16 for user and 720 for host certificates (step-ca's defaults).
    var validForHours: Int?

    static var example: StepCASSHBody {
        .init(sshKeyId: UUID(), publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… alice@laptop", certType: "user", keyId: "alice",
              principals: ["alice", "admin"], validForHours: 24)
    }
    static var allowedValues: [String: [String]] { ["cert_type": ["user", "host"]] }
}

struct SSHCertificateDTO: Content, APIExample {
    var id: UUID
    var authorityId: UUID
    var sshKeyId: UUID?
    /// user or host
    var certType: String
    var keyId: String
    var principals: [String]
    var serial: String
    var validAfter: Date
    var validBefore: Date
    /// `<type>-cert-v01@openssh.com <base64>`, for `~/.ssh/id_*-cert.pub` or `HostCertificate`.
    var certificate: String
    var createdAt: Date?

    init(_ row: SSHCertificateRecord) throws {
        id = try row.requireID(); authorityId = row.authorityID; sshKeyId = row.sshKeyID; certType = row.certType; keyId = row.keyID
        principals = JSONList.decode(row.principals); serial = row.serial; validAfter = row.validAfter; validBefore = row.validBefore
        certificate = row.certificate; createdAt = row.createdAt
    }

    /// The list's row as SQLKit decodes it (`PagedRows`): columns spelled as in the table.
    init(_ row: ListRow) {
        id = row.id; authorityId = row.authorityID; sshKeyId = row.sshKeyID; certType = row.certType; keyId = row.keyID
        principals = JSONList.decode(row.principals); serial = row.serial; validAfter = row.validAfter
        validBefore = row.validBefore; certificate = row.certificate; createdAt = row.createdAt
    }

    struct ListRow: Decodable, Sendable {
        var id: UUID, authorityID: UUID, sshKeyID: UUID?, certType: String, keyID: String, principals: String, serial: String
        var validAfter: Date, validBefore: Date, certificate: String, createdAt: Date?

        static let columns = ["id", "authority_id", "ssh_key_id", "cert_type", "key_id", "principals", "serial", "valid_after",
                              "valid_before", "certificate", "created_at"]
        enum CodingKeys: String, CodingKey {
            case id, authorityID = "authority_id", sshKeyID = "ssh_key_id", certType = "cert_type", keyID = "key_id", principals
            case serial, validAfter = "valid_after", validBefore = "valid_before", certificate, createdAt = "created_at"
        }
    }

    private init() {
        id = UUID(); authorityId = UUID(); sshKeyId = UUID(); certType = "user"; keyId = "alice"; principals = ["alice", "admin"]
        serial = "1234567890"; validAfter = Date(); validBefore = Date()
        certificate = "ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29t…"; createdAt = Date()
    }

    static var example: SSHCertificateDTO { .init() }
    static var allowedValues: [String: [String]] { ["cert_type": ["user", "host"]] }
}

/// What `POST /api/v1/acme/accounts` needs for this CA's ACME provisioner.
struct StepCAACMEDirectoryDTO: Content, APIExample {
    var directoryUrl: String
    var trustedRootsPem: String

    static var example: StepCAACMEDirectoryDTO {
        .init(directoryUrl: "https://ca.home.arpa:9000/acme/acme/directory", trustedRootsPem: "-----BEGIN CERTIFICATE-----\n…")
    }
}
