import Fluent

/// 010 – alert rules, notification channels, the delivery log, and the last value per metric.
struct CreateAlertPipeline: AsyncMigration {
    let name = "010-alerts-rules-channels-log"

    func prepare(on database: any Database) async throws {
        try await database.schema(AlertRuleRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("source", .string, .required)
            .field("trigger_key", .string, .required)
            .field("enabled", .bool, .required)
            .field("builtin", .bool, .required)
            .field("definition", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name")
            .create()
        try await database.schema(NotificationChannelRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("redacted_url", .string, .required)
            .field("sealed_url", .string, .required)
            .field("tls_verify", .bool, .required)
            .field("trusted_ca_pem", .string)
            .field("enabled", .bool, .required)
            .field("events", .string, .required)
            .field("all_rules", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name")
            .create()
        try await database.schema(NotificationLogEntry.schema)
            .id()
            .field("delivery_id", .uuid, .required)
            .field("channel_id", .uuid)
            .field("channel_kind", .string, .required)
            .field("redacted_url", .string, .required)
            .field("alert_ids", .string, .required)
            .field("event", .string, .required)
            .field("attempt", .int, .required)
            .field("outcome", .string, .required)
            .field("http_status", .int)
            .field("smtp_reply", .string)
            .field("error", .string)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime, .required)
            .field("next_attempt_at", .datetime)
            .field("latency_ms", .double)
            .create()
        try await createIndex(on: database, name: "notification_log_finished", table: NotificationLogEntry.schema, columns: ["finished_at"])
        try await createIndex(on: database, name: "notification_log_channel", table: NotificationLogEntry.schema, columns: ["channel_id", "finished_at"])
        try await database.schema(LatestObservation.schema)
            .id()
            .field("metric", .string, .required)
            .field("resource_key", .string, .required)
            .field("observation", .string, .required)
            .field("observed_at", .datetime, .required)
            .unique(on: "metric", "resource_key")
            .create()
        try await createIndex(on: database, name: "alerts_status_fired", table: StoredAlert.schema, columns: ["status", "fired_at"])
    }

    func revert(on database: any Database) async throws {
        for schema in [LatestObservation.schema, NotificationLogEntry.schema, NotificationChannelRecord.schema, AlertRuleRecord.schema] {
            try await database.schema(schema).delete()
        }
    }
}
