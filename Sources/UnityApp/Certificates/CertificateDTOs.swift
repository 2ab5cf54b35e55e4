import Foundation
import Vapor

struct CertificateDTO: Content, APIExample {
    var id: UUID
    var name: String
    var source: String
    var subject: String
    var issuer: String
    var sans: [String]
    var serial: String
    var notBefore: Date
    var notAfter: Date
    var daysLeft: Int
    /// valid, expiring (30 days or less), expired
    var state: String
    var keyType: String
    var fingerprint: String
    var isCa: Bool
    var selfSigned: Bool
    var hasPrivateKey: Bool
    var certificatePem: String
    var chainPem: String
    var seenAt: [String]
    var createdAt: Date?

    init(_ record: CertificateRecord, sightings: [String] = [], now: Date = Date()) throws {
        id = try record.requireID(); name = record.name; source = record.source; subject = record.subject; issuer = record.issuer
        sans = JSONList.decode(record.sans); serial = record.serial; notBefore = record.notBefore; notAfter = record.notAfter
        daysLeft = Int((record.notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
        state = record.notAfter <= now ? "expired" : daysLeft <= 30 ? "expiring" : "valid"
        keyType = record.keyType; fingerprint = record.fingerprint; isCa = record.isCA; selfSigned = record.selfSigned
        hasPrivateKey = record.sealedPrivateKey != nil; certificatePem = record.certificatePEM; chainPem = record.chainPEM
        seenAt = sightings; createdAt = record.createdAt
    }

    private init() {
        id = UUID(); name = "nas.home.arpa"; source = "internal_ca"; subject = "CN=nas.home.arpa"; issuer = "CN=Unity Internal CA"
        sans = ["nas.home.arpa", "192.168.1.10"]; serial = "5f3a…"; notBefore = Date(); notAfter = Date(); daysLeft = 89; state = "valid"
        keyType = "ECDSA P-256"; fingerprint = "ab12…"; isCa = false; selfSigned = false; hasPrivateKey = true
        certificatePem = "-----BEGIN CERTIFICATE-----\n…"; chainPem = "-----BEGIN CERTIFICATE-----\n…"
        seenAt = ["nas tls:443"]; createdAt = Date()
    }

    static var example: CertificateDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["state": ["valid", "expiring", "expired"], "source": ["imported", "internal_ca", "self_signed", "discovered", "acme", "step_ca"]]
    }
}

struct ImportCertificateBody: Content, APIExample {
    var name: String?
    var certificatePem: String
    var chainPem: String?
    var privateKeyPem: String?
    static var example: ImportCertificateBody {
        .init(name: "nas", certificatePem: "-----BEGIN CERTIFICATE-----\n…", chainPem: "-----BEGIN CERTIFICATE-----\n…", privateKeyPem: "-----BEGIN PRIVATE KEY-----\n…")
    }
}

struct IssueCertificateBody: Content, APIExample {
    var name: String?
    var dnsNames: [String]
    var ipAddresses: [String]?
    var validityDays: Int?
    /// ec-p256 (default), ec-p384, rsa-2048, rsa-3072, rsa-4096
    var keyAlgorithm: String?
    /// internal_ca (default) or self_signed
    var issuer: String?
    static var example: IssueCertificateBody {
        .init(name: "nas", dnsNames: ["nas.home.arpa"], ipAddresses: ["192.168.1.10"], validityDays: 90, keyAlgorithm: "ec-p256", issuer: "internal_ca")
    }
    static var allowedValues: [String: [String]] {
        ["key_algorithm": ["ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096"], "issuer": ["internal_ca", "self_signed"]]
    }
}

struct CertificateAuthorityDTO: Content, APIExample {
    var id: UUID
    var name: String
    var subject: String
    var fingerprint: String
    var notAfter: Date
    var rootPem: String
    static var example: CertificateAuthorityDTO {
        .init(id: UUID(), name: "Unity Internal CA", subject: "CN=Unity Internal CA", fingerprint: "ab12…", notAfter: Date(), rootPem: "-----BEGIN CERTIFICATE-----\n…")
    }
}

struct RevealedCertificateKey: Content, APIExample {
    var id: UUID
    var privateKeyPem: String
    static var example: RevealedCertificateKey { .init(id: UUID(), privateKeyPem: "-----BEGIN PRIVATE KEY-----\n…") }
}

struct DeployCertificateBody: Content, APIExample {
    var serverId: UUID
    var certificatePath: String
    var chainPath: String?
    var keyPath: String
    var owner: String?
    var certificateMode: String?
    var keyMode: String?
    /// Run with `sh -c` on the server after the files are in place, e.g. `systemctl reload nginx`.
    var reloadCommand: String
    var verifyPort: Int?
    var verifyServerName: String?
    /// Remember this deployment (default true): renewals are deployed here too, and the daily
    /// check verifies the service keeps presenting the current certificate.
    var remember: Bool?
    static var example: DeployCertificateBody {
        .init(serverId: UUID(), certificatePath: "/etc/nginx/tls/nas.crt", chainPath: nil, keyPath: "/etc/nginx/tls/nas.key", owner: "root:root",
              certificateMode: "0644", keyMode: "0600", reloadCommand: "systemctl reload nginx", verifyPort: 443, verifyServerName: "nas.home.arpa",
              remember: true)
    }
}

struct DeployResultDTO: Content, APIExample {
    var ok: Bool
    /// deployed, renewed_but_not_served, reload_failed, write_failed, verify_unreachable
    var outcome: String
    var servedSerial: String?
    var message: String?
    /// The remembered deployment, when there is one.
    var deploymentId: UUID?
    static var example: DeployResultDTO {
        .init(ok: false, outcome: "renewed_but_not_served", servedSerial: "1f…", message: "the service still presents the old certificate", deploymentId: UUID())
    }
}

/// A remembered deployment: where the certificate goes, how the service reloads, and what the
/// last deploy and the last daily check found.
struct CertificateDeploymentDTO: Content, APIExample {
    var id: UUID
    var serverId: UUID
    var serverName: String?
    var certificatePath: String
    var chainPath: String?
    var keyPath: String
    var owner: String?
    var certificateMode: String
    var keyMode: String
    var reloadCommand: String
    var verifyPort: Int
    var verifyServerName: String?
    var lastOutcome: String?
    var lastMessage: String?
    var deployedAt: Date?
    var servedSerial: String?
    /// serving, not_serving, unreachable
    var verification: String?
    var verifiedAt: Date?

    init(_ row: CertificateDeploymentRecord, serverName: String?) throws {
        id = try row.requireID(); serverId = row.serverID; self.serverName = serverName; certificatePath = row.certificatePath
        chainPath = row.chainPath; keyPath = row.keyPath; owner = row.owner; certificateMode = row.certificateMode; keyMode = row.keyMode
        reloadCommand = row.reloadCommand; verifyPort = row.verifyPort; verifyServerName = row.verifyServerName; lastOutcome = row.lastOutcome
        lastMessage = row.lastMessage; deployedAt = row.deployedAt; servedSerial = row.servedSerial; verification = row.verification; verifiedAt = row.verifiedAt
    }

    private init() {
        id = UUID(); serverId = UUID(); serverName = "nas"; certificatePath = "/etc/nginx/tls/nas.crt"; chainPath = nil; keyPath = "/etc/nginx/tls/nas.key"
        owner = "root:root"; certificateMode = "0644"; keyMode = "0600"; reloadCommand = "systemctl reload nginx"; verifyPort = 443
        verifyServerName = "nas.home.arpa"; lastOutcome = "deployed"; lastMessage = "the service presents serial 1f…"; deployedAt = Date()
        servedSerial = "1f…"; verification = "serving"; verifiedAt = Date()
    }

    static var example: CertificateDeploymentDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["last_outcome": ["deployed", "renewed_but_not_served", "reload_failed", "write_failed", "verify_unreachable"],
         "verification": ["serving", "not_serving", "unreachable"]]
    }
}

struct DiscoverBody: Content, APIExample {
    var ports: [Int]?
    var paths: [String]?
    static var example: DiscoverBody { .init(ports: [443, 8443, 6443, 9443], paths: ["/etc/letsencrypt/live", "/etc/nginx", "/etc/haproxy"]) }
}

struct DiscoveryDTO: Content, APIExample {
    var found: [CertificateDTO]
    /// Ports or paths that could not be read, with why.
    var problems: [String]
    static var example: DiscoveryDTO { .init(found: [.example], problems: ["tls:8443: connection refused"]) }
}
