import Fluent
import UnityAlerts
import Vapor

struct TemplateDTO: Content {
    var title: String
    var body: String
}

struct NotificationTemplatesDTO: Content, APIExample {
    /// Per event (fired, refired, acknowledged, resolved, summary, test): the template in use.
    var templates: [String: TemplateDTO]
    /// Events whose template was changed from the default.
    var customized: [String]
    var placeholders: [String]

    static var example: NotificationTemplatesDTO {
        .init(templates: ["fired": TemplateDTO(title: "[{{severity}}] {{rule}} on {{resource}}", body: "{{message}}\n{{link}}")],
              customized: ["fired"], placeholders: NotificationTemplates.placeholders)
    }
}

struct UpdateTemplatesBody: Content, APIExample {
    /// Events to change; an event mapped to null goes back to the default.
    var templates: [String: TemplateDTO?]
    static var example: UpdateTemplatesBody { .init(templates: ["fired": TemplateDTO(title: "{{rule}}: {{resource}}", body: "{{message}}")]) }
}

/// `/api/v1/notification-templates`: the per-event message templates (defaults: what, where, value,
/// link back to Unity), overridable by an admin. Stored in settings so every replica uses them.
enum NotificationTemplatesController {
    static let key = "notifications.templates"

    static func overrides(on db: any Database) async throws -> [MessageKind: MessageTemplate] {
        guard let row = try await Setting.find(key, on: db),
              let stored = try? JSONDecoder().decode([String: MessageTemplate].self, from: Data(row.value.utf8)) else { return [:] }
        return Dictionary(uniqueKeysWithValues: stored.compactMap { name, template in MessageKind(rawValue: name).map { ($0, template) } })
    }

    static func get(_ request: Request) async throws -> NotificationTemplatesDTO {
        let custom = try await overrides(on: request.db)
        let effective = NotificationTemplates(overrides: custom).templates
        return NotificationTemplatesDTO(
            templates: Dictionary(uniqueKeysWithValues: effective.map { ($0.key.rawValue, TemplateDTO(title: $0.value.title, body: $0.value.body)) }),
            customized: custom.keys.map(\.rawValue).sorted(), placeholders: NotificationTemplates.placeholders)
    }

    static func update(_ request: Request) async throws -> NotificationTemplatesDTO {
        let body = try request.content.decode(UpdateTemplatesBody.self)
        var custom = try await overrides(on: request.db)
        for (name, template) in body.templates {
            guard let kind = MessageKind(rawValue: name) else {
                throw APIError.validation("templates", "\(name) is not an event (\(MessageKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let template else { custom[kind] = nil; continue }
            guard !template.title.isEmpty, template.title.count <= 300, template.body.count <= 4_000 else {
                throw APIError.validation("templates.\(name)", "a title of 1 to 300 characters and a body of at most 4000")
            }
            custom[kind] = MessageTemplate(title: template.title, body: template.body)
        }
        let stored = Dictionary(uniqueKeysWithValues: custom.map { ($0.key.rawValue, $0.value) })
        let row = try await Setting.find(key, on: request.db) ?? Setting(name: key, value: "")
        row.value = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
        try await row.save(on: request.db)
        request.audit.details["customized"] = stored.keys.sorted().joined(separator: ",")
        return try await get(request)
    }
}
