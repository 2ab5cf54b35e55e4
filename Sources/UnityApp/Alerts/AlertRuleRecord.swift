import Fluent
import Foundation
import UnityAlerts

/// A stored alert rule: the engine's `AlertRule` as JSON, plus the columns lists and lookups use.
/// Rules shipped by a feature keep `builtin = true` and their fixed id, so "reset to defaults"
/// rewrites the same row and the alerts it raised stay attached to it.
final class AlertRuleRecord: Model, @unchecked Sendable {
    static let schema = "alert_rules"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "source") var source: String
    @Field(key: "trigger_key") var triggerKey: String
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "builtin") var builtin: Bool
    @Field(key: "definition") var definition: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(_ rule: AlertRule, builtin: Bool) throws {
        self.builtin = builtin
        try update(from: rule)
    }

    func update(from rule: AlertRule) throws {
        id = rule.id
        name = rule.name
        source = rule.source.rawValue
        triggerKey = rule.trigger.key
        enabled = rule.enabled
        definition = String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)
    }

    /// The rule as the engine sees it; `enabled` and `name` columns win over the JSON copy.
    var rule: AlertRule? {
        guard var rule = try? JSONDecoder().decode(AlertRule.self, from: Data(definition.utf8)) else { return nil }
        rule.enabled = enabled
        rule.name = name
        return rule
    }
}
