import Fluent
import Foundation
import UnityAlerts
import Vapor

/// An alert as stored: the engine's `AlertState` as JSON, plus the columns lists filter on.
/// (The full alerts API, rules, channels and delivery log build on this table.)
final class StoredAlert: Model, @unchecked Sendable {
    static let schema = "alerts"

    @ID(key: .id) var id: UUID?
    @Field(key: "rule_id") var ruleID: UUID
    @Field(key: "dedupe_key") var dedupeKey: String
    @Field(key: "status") var status: String
    @Field(key: "severity") var severity: String
    @Field(key: "source") var source: String
    @Field(key: "resource_type") var resourceType: String
    @Field(key: "resource_id") var resourceID: String
    @OptionalField(key: "fired_at") var firedAt: Date?
    @Field(key: "state") var state: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    func update(from alert: AlertState) throws {
        id = alert.id
        ruleID = alert.ruleID
        dedupeKey = alert.dedupeKey
        status = alert.status.rawValue
        severity = alert.severity.rawValue
        source = alert.source.rawValue
        resourceType = alert.resource.type
        resourceID = alert.resource.id
        firedAt = alert.firedAt
        state = String(decoding: try JSONEncoder().encode(alert), as: UTF8.self)
    }

    var alertState: AlertState? { try? JSONDecoder().decode(AlertState.self, from: Data(state.utf8)) }
}

struct CreateAlerts: AsyncMigration {
    let name = "009-alerts-create-alerts"

    func prepare(on database: any Database) async throws {
        try await database.schema(StoredAlert.schema)
            .id()
            .field("rule_id", .uuid, .required)
            .field("dedupe_key", .string, .required)
            .field("status", .string, .required)
            .field("severity", .string, .required)
            .field("source", .string, .required)
            .field("resource_type", .string, .required)
            .field("resource_id", .string, .required)
            .field("fired_at", .datetime)
            .field("state", .string, .required)
            .field("updated_at", .datetime)
            .create()
        try await createIndex(on: database, name: "alerts_rule_status", table: StoredAlert.schema, columns: ["rule_id", "status"])
    }

    func revert(on database: any Database) async throws { try await database.schema(StoredAlert.schema).delete() }
}
