import Fluent
import Foundation
import UnityAlerts
import Vapor

/// Feeds observations to the alert engine and stores what it decides: the one path by which any
/// feature raises or clears an alert.
enum AlertStore {
    static let engine = AlertEngine()

    /// Evaluates `rule` against one observation and persists the result.
    static func observe(_ rule: AlertRule, _ observation: Observation, on database: any Database) async throws {
        let existing = try await active(rule: rule.id, on: database)
        try await apply(engine.evaluate(rule: rule, observations: [observation], existing: existing, now: observation.at), on: database)
    }

    /// Resolves the rule's active alerts for one resource (an admin fixed the cause).
    static func resolve(_ rule: AlertRule, resourceKey: String, by user: String, on database: any Database) async throws {
        let alerts = try await active(rule: rule.id, on: database).filter { $0.resource.key == resourceKey }
        guard !alerts.isEmpty else { return }
        try await apply(engine.resolve(alerts, by: user, channelIDs: rule.channelIDs, now: Date()).result, on: database)
    }

    static func active(rule: UUID, on database: any Database) async throws -> [AlertState] {
        try await StoredAlert.query(on: database).filter(\.$ruleID == rule).filter(\.$status != AlertStatus.resolved.rawValue)
            .all().compactMap(\.alertState)
    }

    static func apply(_ result: EvaluationResult, on database: any Database) async throws {
        try await database.transaction { transaction in
            for alert in result.updatedAlerts {
                let row = try await StoredAlert.find(alert.id, on: transaction) ?? StoredAlert()
                try row.update(from: alert)
                try await row.save(on: transaction)
            }
            for id in result.discardedAlertIDs {
                try await StoredAlert.query(on: transaction).filter(\.$id == id).delete()
            }
        }
    }
}

/// Alert rules the platform and features ship. Fixed ids, so a rule keeps its alerts across restarts.
enum BuiltinAlertRules {
    static let hostKeyChanged = AlertRule(
        id: UUID(uuidString: "5E0B7E1A-0000-4000-8000-000000000001") ?? UUID(),
        name: "SSH host key changed", source: .infrastructure, trigger: .event("ssh.host_key_changed"),
        comparison: .greaterOrEqual, threshold: 1, severity: .critical)
}
