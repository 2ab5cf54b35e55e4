import Fluent
import UnityCore
import Vapor

/// Counts recent failed logins from the audit log, per username and per client address. Reading
/// the shared audit table (instead of process memory) makes the limit hold across replicas and
/// restarts, and every refusal is itself audited.
enum LoginThrottle {
    static let action = "auth.login"

    /// Seconds to wait, or nil when the attempt may proceed.
    static func retryAfter(username: String, address: String?, config: AppConfig, on database: any Database, now: Date = Date()) async throws -> Int? {
        let since = now.addingTimeInterval(-TimeInterval(config.loginThrottleWindow))
        func failures(_ filter: (QueryBuilder<AuditEvent>) -> QueryBuilder<AuditEvent>) async throws -> [AuditEvent] {
            try await filter(AuditEvent.query(on: database)
                .filter(\.$action == action)
                .filter(\.$outcome != "success")
                .filter(\.$occurredAt >= since))
                .sort(\.$occurredAt, .ascending)
                .all()
        }
        let byUser = try await failures { $0.filter(\.$actorName == username) }
        var byAddress: [AuditEvent] = []
        if let address { byAddress = try await failures { $0.filter(\.$clientAddress == address) } }
        var waits: [Int] = []
        if byUser.count >= config.loginMaxFailuresPerUser, let oldest = byUser.dropLast(config.loginMaxFailuresPerUser - 1).last {
            waits.append(wait(until: oldest.occurredAt, window: config.loginThrottleWindow, now: now))
        }
        if byAddress.count >= config.loginMaxFailuresPerAddress, let oldest = byAddress.dropLast(config.loginMaxFailuresPerAddress - 1).last {
            waits.append(wait(until: oldest.occurredAt, window: config.loginThrottleWindow, now: now))
        }
        return waits.max()
    }

    private static func wait(until failure: Date, window: Int, now: Date) -> Int {
        max(1, Int((failure.addingTimeInterval(TimeInterval(window)).timeIntervalSince(now)).rounded(.up)))
    }
}
