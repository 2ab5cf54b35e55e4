import Fluent
import Foundation
import UnityAlerts

/// Housekeeping of the alert pipeline.
enum AlertTasks {
    static let resolvedRetentionDays = 90
    static let logRetentionDays = 30

    static let all: [ScheduledTask] = [
        ScheduledTask(name: "alert-retention", summary: "Delete resolved alerts after 90 days and delivery log rows after 30",
                      interval: 86_400, jitter: 3_600) { context in
            let now = Date()
            let alerts = StoredAlert.query(on: context.database).filter(\.$status == AlertStatus.resolved.rawValue)
                .filter(\.$updatedAt < now.addingTimeInterval(-Double(resolvedRetentionDays) * 86_400))
            let alertCount = try await alerts.count()
            try await alerts.delete()
            let log = NotificationLogEntry.query(on: context.database).filter(\.$finishedAt < now.addingTimeInterval(-Double(logRetentionDays) * 86_400))
            let logCount = try await log.count()
            try await log.delete()
            // A resource that stopped reporting a month ago is gone; its last value would only mislead dry runs.
            let stale = LatestObservation.query(on: context.database).filter(\.$observedAt < now.addingTimeInterval(-30 * 86_400))
            try await stale.delete()
            return "deleted \(alertCount) resolved alerts and \(logCount) delivery log rows"
        },
    ]
}
