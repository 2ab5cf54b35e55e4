import Foundation
import UnityACME
import Vapor

struct ACMEAccountDTO: Content, APIExample {
    var id: UUID
    var name: String
    var preset: String
    var directoryUrl: String
    var email: String?
    var eabKid: String?
    var hasEabHmac: Bool
    var accountUrl: String?
    var status: String
    var hasTrustedRoots: Bool
    var createdAt: Date?

    init(_ row: ACMEAccountRecord) throws {
        id = try row.requireID(); name = row.name; preset = row.preset; directoryUrl = row.directoryURL; email = row.email
        eabKid = row.eabKeyID; hasEabHmac = row.sealedEABHMAC != nil; accountUrl = row.accountURL; status = row.status
        hasTrustedRoots = row.trustedRootsPEM != nil; createdAt = row.createdAt
    }

    private init() {
        id = UUID(); name = "letsencrypt"; preset = "letsencrypt"; directoryUrl = ACMEDirectoryURL.letsEncrypt; email = "ops@home.arpa"
        eabKid = "kid-1"; hasEabHmac = false; accountUrl = "https://acme-v02.api.letsencrypt.org/acme/acct/123"; status = "valid"
        hasTrustedRoots = false; createdAt = Date()
    }

    static var example: ACMEAccountDTO { .init() }
    static var allowedValues: [String: [String]] { ["preset": ACMEAccountBody.presets.keys.sorted() + ["custom"]] }
}

struct ACMEAccountBody: Content, APIExample {
    static let presets = ["letsencrypt": ACMEDirectoryURL.letsEncrypt, "letsencrypt-staging": ACMEDirectoryURL.letsEncryptStaging,
                          "zerossl": ACMEDirectoryURL.zeroSSL]

    var name: String?
    /// letsencrypt, letsencrypt-staging, zerossl, or custom with `directoryUrl`.
    var preset: String?
    var directoryUrl: String?
    var email: String?
    var eabKid: String?
    /// Write-only: the EAB HMAC key as the CA shows it (base64url).
    var eabHmacKey: String?
    /// PEM roots for a private CA's HTTPS listener (step-ca, Pebble).
    var trustedRootsPem: String?
    /// A step-ca (`/api/v1/step-ca/authorities`) with an ACME provisioner: fills the directory URL
    /// and trusted root from it, instead of `preset`, `directoryUrl` and `trustedRootsPem`.
    var stepCaId: UUID?
    var termsOfServiceAgreed: Bool?

    static var example: ACMEAccountBody {
        .init(name: "zerossl", preset: "custom", directoryUrl: "https://ca.home.arpa/acme/acme/directory", email: "ops@home.arpa",
              eabKid: "kid-1", eabHmacKey: "…", trustedRootsPem: "-----BEGIN CERTIFICATE-----…", stepCaId: UUID(),
              termsOfServiceAgreed: true)
    }
    static var allowedValues: [String: [String]] { ["preset": presets.keys.sorted() + ["custom"]] }
}

/// A DNS-01 provider: `settings` are stored as given, `secrets` only sealed and never returned.
/// exec: `settings.hook` names a file in the admin's UNITY_DNS_HOOKS_DIR (never a path or program);
/// its secrets become the hook's environment and must be named `HOOK_…`.
struct DNSProviderBody: Content, Sendable {
    /// cloudflare, rfc2136, acme-dns, httpreq, exec
    var type: String
    var settings: [String: String]?
    var secrets: [String: String]?
}

/// HTTP-01 by a web server on a monitored server: where its document root is.
struct ACMEWebrootBody: Content, Sendable {
    var serverId: UUID?
    var path: String?
}

struct ACMECertificateBody: Content, APIExample {
    var accountId: UUID?
    var names: [String]?
    /// http-01 (Unity's own HTTP-01 server) or dns-01 (`dnsProvider`).
    var challenge: String?
    var httpHost: String?
    var httpPort: Int?
    var dnsProvider: DNSProviderBody?
    /// ec-p256, rsa-2048, rsa-3072, rsa-4096
    var keyType: String?
    /// http-01 only: write the token under this server's webroot over SSH instead of listening.
    var webroot: ACMEWebrootBody?

    static var example: ACMECertificateBody {
        .init(accountId: UUID(), names: ["nas.home.arpa"], challenge: "dns-01", httpHost: "0.0.0.0", httpPort: 80,
              dnsProvider: .init(type: "cloudflare", settings: ["zone_id": "…"], secrets: ["api_token": "…"]), keyType: "ec-p256",
              webroot: .init(serverId: UUID(), path: "/var/www/html"))
    }
    static var allowedValues: [String: [String]] {
        ["challenge": ["http-01", "dns-01"], "key_type": CertificateKeyType.allCases.map(\.rawValue)]
    }
}

struct ACMECertificateDTO: Content, APIExample {
    var id: UUID
    var accountId: UUID
    var names: [String]
    var challenge: String
    var httpHost: String?
    var httpPort: Int?
    var webrootServerId: UUID?
    var webrootPath: String?
    var dnsProvider: String?
    var dnsSettings: [String: String]?
    var hasDnsSecrets: Bool
    var keyType: String
    /// pending, valid, failed, revoked
    var status: String
    var certificateId: UUID?
    var lastAttemptAt: Date?
    var lastError: String?
    var nextRenewalAt: Date?
    var createdAt: Date?
    /// The latest issuance or renewal attempt: running (with its phase) or how it ended.
    var attempt: ACMEAttemptDTO?

    init(_ row: ACMEOrderRecord, attempt: ACMEAttemptRecord? = nil) throws {
        self.attempt = try attempt.map(ACMEAttemptDTO.init)
        id = try row.requireID(); accountId = row.accountID; names = JSONList.decode(row.names); challenge = row.challenge
        httpHost = row.httpHost; httpPort = row.httpPort; webrootServerId = row.webrootServerID; webrootPath = row.webrootPath; dnsProvider = row.dnsProvider
        dnsSettings = row.dnsSettings.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        hasDnsSecrets = row.sealedDNSSecrets != nil; keyType = row.keyType; status = row.status; certificateId = row.certificateID
        lastAttemptAt = row.lastAttemptAt; lastError = row.lastError; nextRenewalAt = row.nextRenewalAt; createdAt = row.createdAt
    }

    private init() {
        id = UUID(); accountId = UUID(); names = ["nas.home.arpa"]; challenge = "dns-01"; httpHost = "0.0.0.0"; httpPort = 80; webrootServerId = nil; webrootPath = nil
        dnsProvider = "cloudflare"; dnsSettings = ["zone_id": "…"]; hasDnsSecrets = true; keyType = "ec-p256"; status = "valid"
        certificateId = UUID(); lastAttemptAt = Date(); lastError = "rateLimited: too many certificates"; nextRenewalAt = Date(); createdAt = Date()
        attempt = .example
    }

    static var example: ACMECertificateDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["challenge": ["http-01", "dns-01"], "status": ["pending", "valid", "failed", "revoked"]]
    }
}

struct ACMERevokeBody: Content, APIExample {
    /// RFC 5280 reason: unspecified, keyCompromise, superseded, cessationOfOperation
    var reason: String?
    static var example: ACMERevokeBody { .init(reason: "superseded") }
    static var allowedValues: [String: [String]] { ["reason": ACMERevokeBody.reasons.keys.sorted()] }

    static let reasons: [String: ACMERevocationReason] = [
        "unspecified": .unspecified, "keyCompromise": .keyCompromise, "superseded": .superseded,
        "cessationOfOperation": .cessationOfOperation,
    ]
}

/// One issuance or renewal attempt.
struct ACMEAttemptDTO: Content, APIExample {
    var id: UUID
    /// create, renew or task
    var trigger: String
    /// queued, ordering, presenting_challenges, validating, finalizing, downloading, storing, deploying, done
    var phase: String
    /// running, succeeded, failed, interrupted
    var outcome: String
    var startedAt: Date
    var finishedAt: Date?
    var error: String?
    var serial: String?
    var deployments: String?

    init(_ row: ACMEAttemptRecord) throws {
        id = try row.requireID(); trigger = row.trigger; phase = row.phase; outcome = row.outcome; startedAt = row.startedAt
        finishedAt = row.finishedAt; error = row.error; serial = row.serial; deployments = row.deployments
    }

    private init() {
        id = UUID(); trigger = "renew"; phase = "done"; outcome = "succeeded"; startedAt = Date(); finishedAt = Date(); error = nil
        serial = "4f1c…"; deployments = "1 deployed, 0 failed"
    }

    static var example: ACMEAttemptDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["trigger": ["create", "renew", "task"], "outcome": ["running", "succeeded", "failed", "interrupted"],
         "phase": ["queued", "ordering", "presenting_challenges", "validating", "finalizing", "downloading", "storing", "deploying", "done"]]
    }
}
