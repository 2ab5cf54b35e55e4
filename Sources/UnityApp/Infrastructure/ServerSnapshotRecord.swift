import Fluent
import Foundation
import UnityInfrastructure

/// The newest collection of one server: what the detail page shows, what `/metrics` exports,
/// and the "previous" the next cycle computes CPU use and SMART growth against.
final class ServerSnapshotRecord: Model, @unchecked Sendable {
    static let schema = "server_snapshots"

    /// The server's id: one row per server.
    @ID(custom: "server_id", generatedBy: .user) var id: UUID?
    @Field(key: "collected_at") var collectedAt: Date
    @Field(key: "duration_ms") var durationMS: Int
    @Field(key: "snapshot") var snapshot: String
    /// JSON array of `CollectionError`: sections that failed this cycle.
    @Field(key: "errors") var errors: String

    init() {}

    var hostSnapshot: HostSnapshot? { try? JSONDecoder().decode(HostSnapshot.self, from: Data(snapshot.utf8)) }
    var collectionErrors: [CollectionError] { (try? JSONDecoder().decode([CollectionError].self, from: Data(errors.utf8))) ?? [] }

    func update(_ value: HostSnapshot, errors: [CollectionError], at: Date, duration: Int) throws {
        collectedAt = at
        durationMS = duration
        snapshot = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        self.errors = String(decoding: try JSONEncoder().encode(errors), as: UTF8.self)
    }
}

/// One time series: a metric of one thing on one server (`host` cpu.percent, `fs:/` used %, …).
final class MetricSeries: Model, @unchecked Sendable {
    static let schema = "metric_series"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "server_id") var serverID: UUID
    @Field(key: "series") var series: String
    @Field(key: "metric") var metric: String

    init() {}

    init(serverID: UUID, series: String, metric: String) {
        self.serverID = serverID
        self.series = series
        self.metric = metric
    }
}

/// 011 – snapshots, series, raw samples and rollups. Samples and rollups are narrow rows of
/// integers and one double (series id, epoch seconds, value): a year of history stays small.
struct CreateServerHistory: AsyncMigration {
    let name = "011-infrastructure-snapshots-history"

    func prepare(on database: any Database) async throws {
        try await database.schema(ServerSnapshotRecord.schema)
            .field("server_id", .uuid, .identifier(auto: false))
            .field("collected_at", .datetime, .required)
            .field("duration_ms", .int, .required)
            .field("snapshot", .string, .required)
            .field("errors", .string, .required)
            .create()
        try await database.schema(MetricSeries.schema)
            .field("id", .int, .identifier(auto: true))
            .field("server_id", .uuid, .required)
            .field("series", .string, .required)
            .field("metric", .string, .required)
            .unique(on: "server_id", "series", "metric")
            .create()
        try await database.schema(MetricStore.samplesTable)
            .field("series_id", .int64, .required)
            .field("ts", .int64, .required)
            .field("value", .double, .required)
            .create()
        try await createIndex(on: database, name: "metric_samples_series_ts", table: MetricStore.samplesTable, columns: ["series_id", "ts"])
        try await createIndex(on: database, name: "metric_samples_ts", table: MetricStore.samplesTable, columns: ["ts"])
        try await database.schema(MetricStore.rollupsTable)
            .field("series_id", .int64, .required)
            .field("step", .int, .required)
            .field("bucket", .int64, .required)
            .field("avg", .double, .required)
            .field("min", .double, .required)
            .field("max", .double, .required)
            .field("n", .int, .required)
            .unique(on: "series_id", "step", "bucket")
            .create()
        try await database.schema(MonitoredServer.schema).field("last_collection_at", .datetime).update()
        try await createIndex(on: database, name: "metric_rollups_step_bucket", table: MetricStore.rollupsTable, columns: ["step", "bucket"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MonitoredServer.schema).deleteField("last_collection_at").update()
        for table in [MetricStore.rollupsTable, MetricStore.samplesTable, MetricSeries.schema, ServerSnapshotRecord.schema] {
            try await database.schema(table).delete()
        }
    }
}
