import Fluent
import SQLKit
import Foundation
import UnityAlerts

/// Reads and writes of the `alerts` table on behalf of the pipeline.
enum AlertQueries {
    static func active(rule: UUID, on database: any Database) async throws -> [AlertState] {
        try await StoredAlert.query(on: database).filter(\.$ruleID == rule).filter(\.$status != AlertStatus.resolved.rawValue)
            .all().compactMap(\.alertState)
    }

    static func apply(_ result: EvaluationResult, on database: any Database) async throws {
        guard !result.updatedAlerts.isEmpty || !result.discardedAlertIDs.isEmpty else { return }
        try await database.transaction { transaction in
            for alert in result.updatedAlerts {
                let row = try await StoredAlert.find(alert.id, on: transaction) ?? StoredAlert()
                try row.update(from: alert)
                try await row.save(on: transaction)
            }
            if !result.discardedAlertIDs.isEmpty {
                try await StoredAlert.query(on: transaction).filter(\.$id ~~ result.discardedAlertIDs).delete()
            }
        }
    }
}

/// Keeps the newest observation per (metric, resource) for dry runs.
enum LatestObservations {
    static func record(_ observations: [Observation], on database: any Database) async throws {
        // The newest per key wins within one batch too.
        var newest: [String: Observation] = [:]
        for observation in observations {
            let key = observation.key + "|" + observation.resource.key
            if let kept = newest[key], kept.at > observation.at { continue }
            newest[key] = observation
        }
        guard !newest.isEmpty else { return }
        // One upsert statement per batch (a collection reports ~30 observations): the unique
        // (metric, resource_key) index decides between insert and update, on SQLite and PostgreSQL.
        guard let sql = database as? any SQLDatabase else {
            for observation in newest.values {
                let row = try await LatestObservation.query(on: database)
                    .filter(\.$metric == observation.key).filter(\.$resourceKey == observation.resource.key).first() ?? LatestObservation()
                try row.update(from: observation)
                try await row.save(on: database)
            }
            return
        }
        let encoder = JSONEncoder()
        var insert = sql.insert(into: LatestObservation.schema).columns("id", "metric", "resource_key", "observation", "observed_at")
        for observation in newest.values.sorted(by: { ($0.key, $0.resource.key) < ($1.key, $1.resource.key) }) {
            insert = insert.values(SQLBind(UUID()), SQLBind(observation.key), SQLBind(observation.resource.key),
                                   SQLBind(String(decoding: try encoder.encode(observation), as: UTF8.self)), SQLBind(observation.at))
        }
        try await insert.onConflict(with: ["metric", "resource_key"]) { $0.set(excludedValueOf: "observation").set(excludedValueOf: "observed_at") }.run()
    }

    static func all(metric: String, on database: any Database) async throws -> [Observation] {
        try await LatestObservation.query(on: database).filter(\.$metric == metric).all().compactMap(\.value)
    }
}

/// Rows for notifications maintenance mode held back: the log shows they were not forgotten.
enum NotificationLogWriter {
    static func suppressed(_ intents: [NotificationIntent], on database: any Database) async throws {
        guard !intents.isEmpty else { return }
        let channels = try await NotificationChannelRecord.query(on: database).filter(\.$id ~~ Set(intents.map(\.channelID))).all()
        let now = Date()
        for intent in intents {
            guard let channel = channels.first(where: { $0.id == intent.channelID }) else { continue }
            let row = NotificationLogEntry()
            row.deliveryID = UUID()
            row.channelID = intent.channelID
            row.channelKind = channel.kind
            row.redactedURL = channel.redactedURL
            row.alertIDs = JSONList.encode([intent.alert.id.uuidString.lowercased()])
            row.event = intent.event.rawValue
            row.attempt = 0
            row.outcome = NotificationLogEntry.Outcome.suppressed.rawValue
            row.error = "held back: maintenance mode"
            row.startedAt = now
            row.finishedAt = now
            try await row.create(on: database)
        }
    }
}
