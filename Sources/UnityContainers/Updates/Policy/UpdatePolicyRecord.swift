import FluentKit
import Foundation

/// One stored policy: the scope in typed columns (so a host's or container's policies go with it),
/// the settings it sets as JSON (absent keys are "not set here").
public final class UpdatePolicyRecord: Model, @unchecked Sendable {
    public static let schema = "update_policies"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// global | host | compose_project | container | labels
    @Field(key: "scope_kind") public var scopeKind: String
    @OptionalField(key: "scope_host_id") public var scopeHostID: UUID?
    @OptionalField(key: "scope_container_id") public var scopeContainerID: UUID?
    @OptionalField(key: "scope_compose_project") public var scopeComposeProject: String?
    /// JSON object of the label selector.
    @OptionalField(key: "scope_labels") public var scopeLabelsJSON: String?
    @Field(key: "priority") public var priority: Int
    /// JSON of `UpdatePolicySettings`.
    @Field(key: "settings") public var settingsJSON: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var scope: PolicyScope? {
        switch scopeKind {
        case "global": return .global
        case "host": return scopeHostID.map(PolicyScope.host)
        case "container": return scopeContainerID.map(PolicyScope.container)
        case "compose_project": return scopeComposeProject.map { .composeProject(name: $0, hostID: scopeHostID) }
        case "labels":
            return scopeLabelsJSON.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }.map(PolicyScope.labels)
        default: return nil
        }
    }

    public func setScope(_ scope: PolicyScope) {
        scopeKind = scope.kind
        scopeHostID = nil; scopeContainerID = nil; scopeComposeProject = nil; scopeLabelsJSON = nil
        switch scope {
        case .global: break
        case .host(let id): scopeHostID = id
        case .container(let id): scopeContainerID = id
        case .composeProject(let name, let hostID): scopeComposeProject = name; scopeHostID = hostID
        case .labels(let selector):
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            scopeLabelsJSON = String(decoding: (try? encoder.encode(selector)) ?? Data("{}".utf8), as: UTF8.self)
        }
    }

    public var settings: UpdatePolicySettings {
        get { (try? JSONDecoder().decode(UpdatePolicySettings.self, from: Data(settingsJSON.utf8))) ?? UpdatePolicySettings() }
        set { settingsJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("{}".utf8), as: UTF8.self) }
    }

    /// nil for a row whose scope cannot be read (never written by Unity): it then matches nothing.
    public var policy: UpdatePolicy? {
        guard let id, let scope else { return nil }
        return UpdatePolicy(id: id, name: name, scope: scope, priority: priority, settings: settings)
    }
}

/// 037 – containers: update policies (scope, priority, the settings each one sets).
public struct CreateUpdatePolicies: AsyncMigration {
    public let name = "037-containers-create-update-policies"
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(UpdatePolicyRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("scope_kind", .string, .required)
            .field("scope_host_id", .uuid, .references(ContainerHostRecord.schema, "id", onDelete: .cascade))
            .field("scope_container_id", .uuid, .references(ContainerRecord.schema, "id", onDelete: .cascade))
            .field("scope_compose_project", .string)
            .field("scope_labels", .string)
            .field("priority", .int, .required)
            .field("settings", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    public func revert(on database: any Database) async throws { try await database.schema(UpdatePolicyRecord.schema).delete() }
}
