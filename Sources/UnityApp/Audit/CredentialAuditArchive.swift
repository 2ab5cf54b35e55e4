import Crypto
import Fluent
import Foundation

/// The daily `credential-audit-archive` task: freezes each finished UTC day of credential audit
/// events (keys, logins, certificates, CAs, ACME, distributions, access switches) into one row of
/// JSON lines, hash-chained to the day before. Audit retention never deletes a credential event
/// that is not archived yet, so the archive has no holes.
enum CredentialAuditArchive {
    static let targetTypes = ["ssh_key", "credential", "distribution", "certificate", "certificate_authority",
                              "acme_account", "acme_certificate", "step_ca", "ssh_certificate"]
    static let actions = ["servers.access_key_switched"]
    /// The first day's `previous_sha256`.
    static let genesis = String(repeating: "0", count: 64)
    static let maxDaysPerRun = 400

    static let task = ScheduledTask(name: "credential-audit-archive", summary: "Archive each day of credential audit events, hash-chained",
                                    interval: 86_400, jitter: 1_800) { context in
        try await run(database: context.database, now: Date())
    }

    static func run(database: any Database, now: Date) async throws -> String {
        let today = utcDay(now)
        let last = try await AuditArchiveRecord.query(on: database).sort(\.$day, .descending).first()
        var day: Date
        var previous = last?.sha256 ?? genesis
        if let last, let lastDay = parse(last.day) {
            day = lastDay.addingTimeInterval(86_400)
        } else {
            let oldest = try await credentialEvents(database).sort(\.$occurredAt).first()
            day = min(utcDay(oldest?.occurredAt ?? now), today.addingTimeInterval(-86_400))
        }
        var archived = 0, events = 0
        while day < today, archived < maxDaysPerRun {
            let rows = try await credentialEvents(database).filter(\.$occurredAt >= day).filter(\.$occurredAt < day.addingTimeInterval(86_400))
                .sort(\.$occurredAt).sort(\.$id).all()
            let content = try rows.map(line).joined()
            let row = AuditArchiveRecord()
            row.day = format(day)
            row.events = rows.count
            row.content = content
            row.previousSHA256 = previous
            row.sha256 = chainHash(previous: previous, content: content)
            try await row.create(on: database)
            previous = row.sha256
            archived += 1
            events += rows.count
            day = day.addingTimeInterval(86_400)
        }
        return "archived \(archived) days, \(events) events"
    }

    /// The end of the last archived day: credential events before it are safe to delete.
    static func archivedUntil(_ database: any Database) async throws -> Date? {
        guard let last = try await AuditArchiveRecord.query(on: database).sort(\.$day, .descending).first() else { return nil }
        return parse(last.day)?.addingTimeInterval(86_400)
    }

    /// Recomputes the chain; the first day whose content or link does not match, if any.
    static func firstBrokenDay(_ archives: [AuditArchiveRecord]) -> String? {
        var previous = genesis
        for archive in archives.sorted(by: { $0.day < $1.day }) {
            guard archive.previousSHA256 == previous, archive.sha256 == chainHash(previous: previous, content: archive.content) else {
                return archive.day
            }
            previous = archive.sha256
        }
        return nil
    }

    static func credentialEvents(_ database: any Database) -> QueryBuilder<AuditEvent> {
        AuditEvent.query(on: database).group(.or) { group in
            group.filter(\.$targetType ~~ targetTypes).filter(\.$action ~~ actions)
        }
    }

    static func chainHash(previous: String, content: String) -> String {
        SHA256.hash(data: Data((previous + "\n" + content).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func line(_ event: AuditEvent) throws -> String {
        var object: [String: Any] = [
            "id": event.id?.uuidString ?? "", "occurred_at": timestamp.string(from: event.occurredAt), "actor_type": event.actorType,
            "action": event.action, "outcome": event.outcome,
            "details": (try? JSONSerialization.jsonObject(with: Data(event.details.utf8))) ?? [:],
        ]
        object["actor_id"] = event.actorID?.uuidString
        object["actor_name"] = event.actorName
        object["target_type"] = event.targetType
        object["target_id"] = event.targetID
        object["status_code"] = event.statusCode
        object["client_address"] = event.clientAddress
        object["request_id"] = event.requestID
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self) + "\n"
    }

    private static var timestamp: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    static func utcDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    static func format(_ day: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: day)
    }

    static func parse(_ day: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: day)
    }
}
