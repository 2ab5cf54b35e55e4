import Crypto
import Fluent
import Foundation
import UnityAlerts
import UnityCore

/// A notification channel. The full URL (with passwords and tokens) exists only sealed by the
/// SecretBox; every response, log line and delivery row uses `redacted_url`.
final class NotificationChannelRecord: Model, @unchecked Sendable {
    static let schema = "notification_channels"
    static let urlPurpose = "notification-channel-url"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "redacted_url") var redactedURL: String
    @Field(key: "sealed_url") var sealedURL: String
    @Field(key: "tls_verify") var tlsVerify: Bool
    @OptionalField(key: "trusted_ca_pem") var trustedCAPEM: String?
    @Field(key: "enabled") var enabled: Bool
    /// JSON array of the events this channel receives (`fired`, `refired`, `acknowledged`, `resolved`).
    @Field(key: "events") var events: String
    /// Receives every rule's notifications, not only those of rules that name it.
    @Field(key: "all_rules") var allRules: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    func store(_ config: ChannelConfig, secrets: SecretBox) throws {
        kind = config.service.kind
        redactedURL = config.redactedURL
        sealedURL = try Self.urlColumn.seal(config.fullURL, id: sealingID(), in: secrets)
        tlsVerify = config.tls.verify
        trustedCAPEM = config.tls.trustedCAPEM
    }

    /// The channel with its secrets, for sending only.
    func config(secrets: SecretBox) throws -> ChannelConfig {
        let url = try Self.urlColumn.open(sealedURL, id: requireID(), in: secrets)
        return try ChannelURL.parse(url, tls: ChannelTLS(verify: tlsVerify, trustedCAPEM: trustedCAPEM))
    }

    /// The key of channel fingerprints, derived from the master key (a rotation changes every
    /// fingerprint once, which only means "the stored value was re-sealed").
    static func fingerprintKey(_ secrets: SecretBox) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: secrets.primary.key, info: Data("unity notification channel fingerprint".utf8), outputByteCount: 32)
    }

    var eventKinds: Set<NotificationEvent> {
        Set(JSONList.decode(events).compactMap(NotificationEvent.init(rawValue:)))
    }
}

extension NotificationChannelRecord: HasSealedColumns, RowSealed {
    static let urlColumn = SealedColumn(table: schema, column: "sealed_url", purpose: urlPurpose)
    static let sealedColumns = [urlColumn]
}
