import Fluent
import Foundation
import UnityAlerts

/// Puts the rules features ship into the database. At start-up only missing ones are added, so an
/// admin's edits (thresholds, channels, disabling) survive restarts; `reset` rewrites them all.
enum DefaultAlertRules {
    static func ensure(on database: any Database) async throws {
        let existing = Set(try await AlertRuleRecord.query(on: database).all().compactMap(\.id))
        for rule in AlertCatalogue.defaultRules where !existing.contains(rule.id) {
            // A user rule may already carry the default's name: keep theirs, suffix ours.
            var copy = rule
            if try await AlertRuleRecord.query(on: database).filter(\.$name == rule.name).first() != nil {
                copy.name += " (default)"
            }
            try await AlertRuleRecord(copy, builtin: true).create(on: database)
        }
    }

    /// Restores every default rule to its shipped definition (re-enabling disabled ones).
    static func reset(on database: any Database) async throws -> [AlertRule] {
        try await database.transaction { transaction in
            for rule in AlertCatalogue.defaultRules {
                if let row = try await AlertRuleRecord.find(rule.id, on: transaction) {
                    try row.update(from: rule)
                    try await row.save(on: transaction)
                } else {
                    try await AlertRuleRecord(rule, builtin: true).create(on: transaction)
                }
            }
        }
        return AlertCatalogue.defaultRules
    }
}
