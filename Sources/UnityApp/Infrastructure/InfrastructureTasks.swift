import Fluent
import Foundation

/// The monitoring cycle and its history housekeeping.
enum InfrastructureTasks {
    static func all(retention: HistoryRetention) -> [ScheduledTask] {
        [
            // Runs every minute and collects the servers whose own interval (default 5 min) has
            // passed, so per-server intervals need no task of their own.
            ScheduledTask(name: "server-collection", summary: "Collect every enabled server whose interval has passed", interval: 60) { context in
                let now = Date()
                let servers = try await MonitoredServer.query(on: context.database).filter(\.$enabled == true).all().filter { server in
                    guard let last = server.lastCollectionAt else { return true }
                    // A few seconds' slack so a 300 s interval on a 60 s tick does not slip to 360 s.
                    return now.timeIntervalSince(last) >= Double(server.intervalSeconds) - 5
                }
                let outcomes = await ServerCollector.collectAll(servers, services: context.application.unity, database: context.database,
                                                                logger: context.logger)
                let online = outcomes.filter { $0.status == .online }.count
                return "collected \(outcomes.count) servers: \(online) online, \(outcomes.count - online) not"
            },
            ScheduledTask(name: "metrics-rollup", summary: "Fold raw samples into 5-minute and hourly averages", interval: 300, jitter: 30) { context in
                let written = try await MetricStore.rollUp(now: Date(), on: context.database)
                return "rolled up \(written) resolutions"
            },
            ScheduledTask(name: "metrics-retention", summary: "Delete history older than its retention (raw 48 h, 5-minute 30 d, hourly 1 y)",
                          interval: 86_400, jitter: 3_600) { context in
                let deleted = try await MetricStore.applyRetention(retention, now: Date(), on: context.database)
                return "deleted \(deleted) samples and rollups"
            },
        ]
    }
}
