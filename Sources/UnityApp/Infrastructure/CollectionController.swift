import Fluent
import Vapor

/// Collect now (one server or all), the latest snapshot, and history for charts.
enum CollectionController {
    static func collect(_ request: Request) async throws -> CollectionResultDTO {
        let server = try await ServersController.find(request)
        let outcome = try await ServerCollector.collect(server, services: request.unity, database: request.db)
        request.audit.details["status"] = outcome.status.rawValue
        return CollectionResultDTO(outcome)
    }

    static func collectAll(_ request: Request) async throws -> CollectAllDTO {
        let servers = try await MonitoredServer.query(on: request.db).filter(\.$enabled == true).all()
        let outcomes = await ServerCollector.collectAll(servers, services: request.unity, database: request.db, logger: request.logger)
        request.audit.details["servers"] = String(outcomes.count)
        return CollectAllDTO(results: outcomes.map(CollectionResultDTO.init))
    }

    static func snapshot(_ request: Request) async throws -> SnapshotDTO {
        let server = try await ServersController.find(request)
        guard let row = try await ServerSnapshotRecord.find(try server.requireID(), on: request.db), let snapshot = row.hostSnapshot else {
            throw APIError.notFound("snapshot (\(server.name) has not been collected yet)")
        }
        return SnapshotDTO(serverId: try server.requireID(), collectedAt: row.collectedAt, durationMs: row.durationMS,
                           errors: row.collectionErrors.map(CollectionErrorDTO.init), snapshot: snapshot)
    }

    static func series(_ request: Request) async throws -> [SeriesDTO] {
        let server = try await ServersController.find(request)
        return try await MetricSeries.query(on: request.db).filter(\.$serverID == server.requireID()).sort(\.$series).sort(\.$metric).all()
            .map { SeriesDTO(series: $0.series, metric: $0.metric) }
    }

    static let metricsQuery: [QueryParameter] = [
        .init(name: "metric", kind: .string, description: "e.g. cpu.percent, memory.used_percent, load.1, filesystem.used_percent"),
        .init(name: "series", kind: .string, description: "host (default), fs:/mount, disk:SERIAL, zpool:NAME, md:NAME"),
        .init(name: "range", kind: .string, description: "1h, 24h, 7d or 30d (default 24h); or from/to"),
        .init(name: "from", kind: .dateTime, description: "start (ISO-8601)"),
        .init(name: "to", kind: .dateTime, description: "end (ISO-8601, default now)"),
        .init(name: "step", kind: .integer, description: "seconds per point (default: range / 300, at least 60)"),
    ]

    static let ranges: [String: TimeInterval] = ["1h": 3_600, "24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400]

    static func metrics(_ request: Request) async throws -> MetricPointsDTO {
        let server = try await ServersController.find(request)
        guard let metric = request.query[String.self, at: "metric"], !metric.isEmpty else { throw APIError.validation("metric", "is required") }
        let series = request.query[String.self, at: "series"] ?? "host"
        let now = Date()
        let to = try request.query[String.self, at: "to"].map { try date($0, field: "to") } ?? now
        let from: Date
        if let raw = request.query[String.self, at: "from"] {
            from = try date(raw, field: "from")
        } else {
            let name = request.query[String.self, at: "range"] ?? "24h"
            guard let span = ranges[name] else { throw APIError.validation("range", "expected 1h, 24h, 7d or 30d") }
            from = to.addingTimeInterval(-span)
        }
        guard from < to else { throw APIError.validation("from", "must be before to") }
        guard to.timeIntervalSince(from) <= 400 * 86_400 else { throw APIError.validation("from", "at most 400 days per query") }
        let step: Int
        if let raw = request.query[String.self, at: "step"] {
            guard let value = Int(raw), (1...86_400).contains(value) else { throw APIError.validation("step", "expected 1 to 86400 seconds") }
            step = value
        } else {
            step = max(60, Int(to.timeIntervalSince(from) / 300))
        }
        // At most 5000 points: a chart has no use for more, and this bounds the response.
        guard to.timeIntervalSince(from) / Double(step) <= 5_000 else { throw APIError.validation("step", "too small for the range (at most 5000 points)") }
        let points = try await MetricStore.query(server: server.requireID(), series: series, metric: metric, from: from, to: to,
                                                 step: step, retention: HistoryRetention(), now: now, on: request.db)
        return MetricPointsDTO(series: series, metric: metric, step: step, from: from, to: to, points: points)
    }

    private static func date(_ raw: String, field: String) throws -> Date {
        guard let date = ISO8601DateFormatter().date(from: raw) else { throw APIError.validation(field, "expected an ISO-8601 time like 2026-11-27T10:00:00Z") }
        return date
    }
}
