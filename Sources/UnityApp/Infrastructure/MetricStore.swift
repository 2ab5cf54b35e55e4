import Fluent
import Foundation
import SQLKit

/// Time series of collected values: raw samples, 5-minute and hourly rollups, and queries that
/// pick the finest data still kept for the range asked. Plain SQL over narrow integer rows,
/// written to run unchanged on SQLite and PostgreSQL (integer division buckets).
enum MetricStore {
    static let samplesTable = "metric_samples"
    static let rollupsTable = "metric_rollups"
    static let steps = [300, 3_600]

    struct Value: Sendable, Hashable {
        var series: String
        var metric: String
        var value: Double
    }

    struct Point: Sendable, Hashable, Codable {
        var t: Date
        var avg: Double
        var min: Double
        var max: Double
    }

    static func sql(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else { throw APIError(status: .internalServerError, code: "no_sql", message: "metrics need an SQL database") }
        return sql
    }

    // MARK: Writing

    static func record(_ values: [Value], server: UUID, at: Date, on database: any Database) async throws {
        let finite = values.filter { $0.value.isFinite }
        guard !finite.isEmpty else { return }
        let ids = try await seriesIDs(server: server, keys: finite.map { ($0.series, $0.metric) }, on: database)
        let ts = Int64(at.timeIntervalSince1970.rounded(.down))
        let rows: [[any SQLExpression]] = finite.compactMap { value in
            guard let id = ids["\(value.series)|\(value.metric)"] else { return nil }
            return [SQLBind(Int64(id)), SQLBind(ts), SQLBind(value.value)]
        }
        var insert = try sql(database).insert(into: samplesTable).columns("series_id", "ts", "value")
        for row in rows { insert = insert.values(row) }
        try await insert.run()
    }

    static func seriesIDs(server: UUID, keys: [(String, String)], on database: any Database) async throws -> [String: Int] {
        var known: [String: Int] = [:]
        for row in try await MetricSeries.query(on: database).filter(\.$serverID == server).all() {
            if let id = row.id { known["\(row.series)|\(row.metric)"] = id }
        }
        for (series, metric) in keys where known["\(series)|\(metric)"] == nil {
            let row = MetricSeries(serverID: server, series: series, metric: metric)
            try await row.create(on: database)
            known["\(series)|\(metric)"] = try row.requireID()
        }
        return known
    }

    // MARK: Rollups and retention

    /// Aggregates complete buckets between the stored watermark and `now` into rollups.
    /// Idempotent: the watermark moves in the same transaction as the rows it covers.
    static func rollUp(now: Date, on database: any Database) async throws -> Int {
        var written = 0
        for step in steps {
            written += try await database.transaction { db in
                let key = "metrics.rollup.\(step)"
                let end = (Int64(now.timeIntervalSince1970) / Int64(step)) * Int64(step)
                let row = try await Setting.find(key, on: db)
                // First run: start from the oldest raw sample still kept.
                var start = row.flatMap { Int64($0.value) }
                if start == nil { start = try await oldestSample(on: db).map { ($0 / Int64(step)) * Int64(step) } }
                guard let start else { return 0 }
                guard start < end else { return 0 }
                try await sql(db).raw("""
                    INSERT INTO \(unsafeRaw: rollupsTable) (series_id, step, bucket, avg, min, max, n)
                    SELECT series_id, \(literal: step), (ts / \(literal: step)) * \(literal: step), AVG(value), MIN(value), MAX(value), COUNT(*)
                    FROM \(unsafeRaw: samplesTable) WHERE ts >= \(bind: start) AND ts < \(bind: end)
                    GROUP BY series_id, (ts / \(literal: step)) * \(literal: step)
                    """).run()
                let setting = row ?? Setting(name: key, value: "")
                setting.value = String(end)
                try await setting.save(on: db)
                return 1
            }
        }
        return written
    }

    static func oldestSample(on database: any Database) async throws -> Int64? {
        try await sql(database).raw("SELECT MIN(ts) AS oldest FROM \(unsafeRaw: samplesTable)").first()?.decode(column: "oldest", as: Int64?.self)
    }

    /// Deletes raw samples and rollups older than their retention. Returns rows deleted.
    static func applyRetention(_ retention: HistoryRetention, now: Date, on database: any Database) async throws -> Int {
        let nowTS = Int64(now.timeIntervalSince1970)
        let db = try sql(database)
        var deleted = try await count(db, "SELECT COUNT(*) AS n FROM \(samplesTable) WHERE ts < \(nowTS - Int64(retention.raw))")
        try await db.raw("DELETE FROM \(unsafeRaw: samplesTable) WHERE ts < \(bind: nowTS - Int64(retention.raw))").run()
        for (step, keep) in [(300, retention.fiveMinute), (3_600, retention.hourly)] {
            let cutoff = nowTS - Int64(keep)
            deleted += try await count(db, "SELECT COUNT(*) AS n FROM \(rollupsTable) WHERE step = \(step) AND bucket < \(cutoff)")
            try await db.raw("DELETE FROM \(unsafeRaw: rollupsTable) WHERE step = \(literal: step) AND bucket < \(bind: cutoff)").run()
        }
        return deleted
    }

    private static func count(_ db: any SQLDatabase, _ query: String) async throws -> Int {
        try await db.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

/// How long each resolution of history is kept (seconds).
struct HistoryRetention: Sendable, Hashable {
    var raw: Int = 48 * 3_600
    var fiveMinute: Int = 30 * 86_400
    var hourly: Int = 365 * 86_400
}
