import Foundation
import UnityAlerts
import Vapor

struct NotificationChannelDTO: Content, APIExample {
    var id: UUID
    var name: String
    var kind: String
    /// For operators and admins the channel URL with every password, token, webhook path segment,
    /// query value and ntfy topic replaced by `***`; for viewers and `read` keys only its scheme
    /// and host (`ntfy://ntfy.sh`).
    var url: String
    /// 8 hex digits that change when the URL does (a keyed hash: it cannot confirm a guess).
    var fingerprint: String
    var enabled: Bool
    var events: [String]
    var allRules: Bool
    var tlsVerify: Bool
    var hasTrustedCa: Bool
    var createdAt: Date?
    var updatedAt: Date?

    /// Computed from the sealed URL on every read, so a channel stored under older redaction
    /// rules is shown under today's.
    init(_ record: NotificationChannelRecord, for request: Request) throws {
        let config = try record.config(secrets: request.unity.secrets)
        id = try record.requireID(); name = record.name; kind = record.kind
        url = ChannelURLAudience(request) == .redacted ? config.redactedURL : config.summary
        fingerprint = config.fingerprint(key: NotificationChannelRecord.fingerprintKey(request.unity.secrets))
        enabled = record.enabled; events = JSONList.decode(record.events); allRules = record.allRules
        tlsVerify = record.tlsVerify; hasTrustedCa = record.trustedCAPEM != nil
        createdAt = record.createdAt; updatedAt = record.updatedAt
    }

    private init() {
        id = UUID(); name = "phone"; kind = "ntfy"; url = "ntfy://alice:***@ntfy.home.arpa/***"; fingerprint = "3f9a0c12"; enabled = true
        events = NotificationEvent.allCases.map(\.rawValue); allRules = true; tlsVerify = true; hasTrustedCa = false
        createdAt = Date(); updatedAt = Date()
    }

    static var example: NotificationChannelDTO { .init() }
}

/// How much of a channel URL the caller sees, by the role it acts with (an API key's scope
/// included): operators and admins the redacted URL, everyone else scheme and host.
enum ChannelURLAudience: Equatable {
    case redacted, summary

    init(_ request: Request) {
        let role = (try? request.principal().effectiveRole) ?? .viewer
        self = role >= .operator ? .redacted : .summary
    }

    func show(_ storedRedactedURL: String) -> String {
        let current = ChannelConfig.tightenRedacted(storedRedactedURL)
        return self == .redacted ? current : ChannelConfig.summary(ofRedacted: current)
    }
}

struct NotificationChannelBody: Content, APIExample {
    var name: String?
    /// shoutrrr-style: smtp://, generic+https://, https://, ntfy://, gotify://, discord://, slack://,
    /// telegram://, pushover://, matrix://
    var url: String?
    var enabled: Bool?
    var events: [String]?
    var allRules: Bool?
    var tlsVerify: Bool?
    var trustedCaPem: String?

    static var example: NotificationChannelBody {
        .init(name: "phone", url: "ntfy://alice:secret@ntfy.home.arpa/unity", enabled: true, events: ["fired", "resolved"],
              allRules: true, tlsVerify: true, trustedCaPem: "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----")
    }

    func validEvents() throws -> [String]? {
        guard let events else { return nil }
        let known = Set(NotificationEvent.allCases.map(\.rawValue))
        if let bad = events.first(where: { !known.contains($0) }) {
            throw APIError.validation("events", "\(bad) is not an event (fired, refired, acknowledged, resolved)")
        }
        return Array(Set(events)).sorted()
    }

    func tls(base: ChannelTLS) throws -> ChannelTLS {
        var tls = base
        if let tlsVerify { tls.verify = tlsVerify }
        if let pem = trustedCaPem {
            let trimmed = pem.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                tls.trustedCAPEM = nil
            } else {
                guard trimmed.hasPrefix("-----BEGIN CERTIFICATE-----") else {
                    throw APIError.validation("trusted_ca_pem", "expected a PEM certificate (-----BEGIN CERTIFICATE-----)")
                }
                tls.trustedCAPEM = trimmed
            }
        }
        return tls
    }
}

struct DeliveryResultDTO: Content, APIExample {
    var ok: Bool
    var httpStatus: Int?
    var smtpReply: String?
    var error: String?

    init(_ result: DeliveryResult) {
        ok = result.ok; httpStatus = result.httpStatus; smtpReply = result.smtpReply; error = result.error
    }

    static var example: DeliveryResultDTO {
        .init(DeliveryResult(ok: false, httpStatus: 502, smtpReply: "250 2.0.0 Ok: queued", error: "HTTP 502"))
    }
}

struct NotificationLogDTO: Content, APIExample {
    var id: UUID
    var deliveryId: UUID
    var channelId: UUID?
    var channelKind: String
    var channelUrl: String
    var alertIds: [String]
    var event: String
    var attempt: Int
    var outcome: String
    var httpStatus: Int?
    var smtpReply: String?
    var error: String?
    var startedAt: Date
    var finishedAt: Date
    var nextAttemptAt: Date?
    var latencyMs: Double?

    static var example: NotificationLogDTO {
        .init(id: UUID(), deliveryId: UUID(), channelId: UUID(), channelKind: "webhook", channelUrl: "https://hooks.home.arpa/unity?secret=***",
              alertIds: [UUID().uuidString.lowercased()], event: "fired", attempt: 2, outcome: "retrying", httpStatus: 500,
              smtpReply: "250 ok", error: "HTTP 500", startedAt: Date(), finishedAt: Date(), nextAttemptAt: Date(), latencyMs: 41.5)
    }

    static var allowedValues: [String: [String]] { ["outcome": NotificationLogEntry.Outcome.allCases.map(\.rawValue)] }
}

extension NotificationLogDTO {
    /// `channel_url` as the caller may see it: rows keep the redacted form of the day they were
    /// written, tightened to today's rules here.
    init(_ row: NotificationLogEntry, audience: ChannelURLAudience) throws {
        self.init(id: try row.requireID(), deliveryId: row.deliveryID, channelId: row.channelID, channelKind: row.channelKind,
                  channelUrl: audience.show(row.redactedURL), alertIds: JSONList.decode(row.alertIDs), event: row.event, attempt: row.attempt,
                  outcome: row.outcome, httpStatus: row.httpStatus, smtpReply: row.smtpReply, error: row.error,
                  startedAt: row.startedAt, finishedAt: row.finishedAt, nextAttemptAt: row.nextAttemptAt, latencyMs: row.latencyMS)
    }
}
