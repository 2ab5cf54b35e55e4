import Fluent
import Foundation
import SQLKit

extension MetricStore {
    /// Points of one series between `from` and `to`, one per `step` seconds, from the finest data
    /// kept for that range: raw samples, else 5-minute, else hourly rollups. Buckets not yet
    /// rolled up (newer than the rollup watermark) come from the raw samples.
    static func query(server: UUID, series: String, metric: String, from: Date, to: Date, step: Int,
                      retention: HistoryRetention, now: Date = Date(), on database: any Database) async throws -> [Point] {
        guard let row = try await MetricSeries.query(on: database).filter(\.$serverID == server)
            .filter(\.$series == series).filter(\.$metric == metric).first(), let id = row.id else { return [] }
        let fromTS = Int64(from.timeIntervalSince1970), toTS = Int64(to.timeIntervalSince1970)
        let age = Int(now.timeIntervalSince(from))
        var source: Int? = nil  // nil = raw
        if step >= 3_600 || age > retention.fiveMinute {
            source = 3_600
        } else if step >= 300 || age > retention.raw {
            source = 300
        }
        var points: [Point] = []
        var rawFrom = fromTS
        if let source {
            let watermark = try await Setting.find("metrics.rollup.\(source)", on: database).flatMap { Int64($0.value) } ?? fromTS
            let rows = try await sql(database).raw("""
                SELECT bucket, avg, min, max FROM \(unsafeRaw: rollupsTable)
                WHERE series_id = \(bind: Int64(id)) AND step = \(literal: source) AND bucket >= \(bind: fromTS) AND bucket < \(bind: min(toTS, watermark))
                ORDER BY bucket
                """).all()
            for row in rows {
                points.append(Point(t: Date(timeIntervalSince1970: Double(try row.decode(column: "bucket", as: Int64.self))),
                                    avg: try row.decode(column: "avg", as: Double.self), min: try row.decode(column: "min", as: Double.self),
                                    max: try row.decode(column: "max", as: Double.self)))
            }
            rawFrom = max(fromTS, watermark)
        }
        if rawFrom <= toTS {
            let rows = try await sql(database).raw("""
                SELECT ts, value FROM \(unsafeRaw: samplesTable)
                WHERE series_id = \(bind: Int64(id)) AND ts >= \(bind: rawFrom) AND ts <= \(bind: toTS) ORDER BY ts
                """).all()
            for row in rows {
                let value = try row.decode(column: "value", as: Double.self)
                points.append(Point(t: Date(timeIntervalSince1970: Double(try row.decode(column: "ts", as: Int64.self))), avg: value, min: value, max: value))
            }
        }
        return bucket(points, step: step)
    }

    /// Folds points into `step`-second buckets (averages of averages: samples are evenly spaced).
    static func bucket(_ points: [Point], step: Int) -> [Point] {
        guard step > 1 else { return points }
        var buckets: [Int64: [Point]] = [:]
        for point in points {
            let key = (Int64(point.t.timeIntervalSince1970) / Int64(step)) * Int64(step)
            buckets[key, default: []].append(point)
        }
        return buckets.keys.sorted().compactMap { key in
            guard let group = buckets[key], !group.isEmpty else { return nil }
            return Point(t: Date(timeIntervalSince1970: Double(key)), avg: group.map(\.avg).reduce(0, +) / Double(group.count),
                         min: group.map(\.min).min() ?? 0, max: group.map(\.max).max() ?? 0)
        }
    }
}
