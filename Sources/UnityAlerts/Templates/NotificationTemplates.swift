import Foundation

/// A message ready for any channel: chat services use `title` + `body`, e-mail uses them as
/// subject and text, webhooks also get the structured `alerts`.
public struct RenderedMessage: Sendable, Hashable {
    public var event: MessageKind
    public var title: String
    public var body: String
    public var severity: AlertSeverity
    /// Link back to the alert (or the alert list for a summary) in Unity.
    public var link: String?
    public var alerts: [AlertState]

    public init(event: MessageKind, title: String, body: String, severity: AlertSeverity, link: String?, alerts: [AlertState]) {
        self.event = event
        self.title = title
        self.body = body
        self.severity = severity
        self.link = link
        self.alerts = alerts
    }
}


public enum MessageKind: String, Sendable, Codable, CaseIterable {
    case fired, refired, acknowledged, resolved, summary, test
}


public struct MessageTemplate: Sendable, Codable, Hashable {
    public var title: String
    public var body: String

    public init(title: String, body: String) {
        self.title = title
        self.body = body
    }
}


/// Per-event templates. Defaults answer what, where, value and where to look; the app may store
/// overrides per channel or globally.
public struct NotificationTemplates: Sendable, Codable, Hashable {
    public var templates: [MessageKind: MessageTemplate]

    public init(overrides: [MessageKind: MessageTemplate] = [:]) {
        templates = Self.defaults.merging(overrides) { _, new in new }
    }

    public static let placeholders = [
        "event", "rule", "severity", "source", "status", "resource", "resource_type", "resource_id",
        "value", "trigger_value", "message", "fired_at", "resolved_at", "acknowledged_by", "note", "link",
        "count", "list",
    ]

    public static let defaults: [MessageKind: MessageTemplate] = [
        .fired: MessageTemplate(
            title: "[{{severity}}] {{rule}} on {{resource}}",
            body: "{{message}}\nResource: {{resource}} ({{resource_type}})\nValue: {{value}}\nSince: {{fired_at}}\n{{link}}"
        ),
        .refired: MessageTemplate(
            title: "[{{severity}}] still firing: {{rule}} on {{resource}}",
            body: "{{message}}\nResource: {{resource}} ({{resource_type}})\nValue now: {{value}} (was {{trigger_value}})\nSince: {{fired_at}}\n{{link}}"
        ),
        .acknowledged: MessageTemplate(
            title: "Acknowledged: {{rule}} on {{resource}}",
            body: "{{acknowledged_by}} acknowledged {{rule}} on {{resource}}.\nNote: {{note}}\nValue: {{value}}\n{{link}}"
        ),
        .resolved: MessageTemplate(
            title: "Resolved: {{rule}} on {{resource}}",
            body: "{{rule}} on {{resource}} is resolved.\nValue: {{value}}\nFired: {{fired_at}}\nResolved: {{resolved_at}}\n{{link}}"
        ),
        .summary: MessageTemplate(
            title: "{{count}} alert notifications",
            body: "{{count}} alert notifications were grouped to avoid a storm:\n{{list}}\n{{link}}"
        ),
        .test: MessageTemplate(title: "Unity test notification", body: "This channel works.\n{{link}}"),
    ]
}


/// Turns intents into messages. `baseURL` is Unity's public URL, used for links.
public struct MessageRenderer: Sendable {
    public var templates: NotificationTemplates
    public var baseURL: String?

    public init(templates: NotificationTemplates = NotificationTemplates(), baseURL: String?) {
        self.templates = templates
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    public func link(for alert: AlertState?) -> String? {
        guard let baseURL else { return nil }
        guard let alert else { return "\(baseURL)/alerts" }
        return "\(baseURL)/alerts/\(alert.id.uuidString.lowercased())"
    }

    public func render(_ intent: NotificationIntent) -> RenderedMessage {
        let kind: MessageKind = switch intent.event {
        case .fired: .fired
        case .refired: .refired
        case .acknowledged: .acknowledged
        case .resolved: .resolved
        }
        let alert = intent.alert
        let values = Self.values(for: alert, event: kind, link: link(for: alert))
        let template = templates.templates[kind] ?? MessageTemplate(title: "{{rule}}", body: "{{message}}")
        return RenderedMessage(
            event: kind, title: Self.clean(TemplateRenderer.render(template.title, values: values)),
            body: Self.clean(TemplateRenderer.render(template.body, values: values)),
            severity: alert.severity, link: link(for: alert), alerts: [alert]
        )
    }

    public func renderSummary(_ intents: [NotificationIntent]) -> RenderedMessage {
        let list = intents.map { intent in
            "- \(intent.event.rawValue): [\(intent.alert.severity.rawValue)] \(intent.alert.ruleName) on \(intent.alert.resource.name) (\(formatValue(intent.alert.value)))"
        }.joined(separator: "\n")
        let values = ["count": String(intents.count), "list": list, "link": link(for: nil) ?? ""]
        let template = templates.templates[.summary] ?? NotificationTemplates.defaults[.summary] ?? MessageTemplate(title: "", body: "")
        return RenderedMessage(
            event: .summary, title: Self.clean(TemplateRenderer.render(template.title, values: values)),
            body: Self.clean(TemplateRenderer.render(template.body, values: values)),
            severity: intents.map(\.alert.severity).max() ?? .info, link: link(for: nil), alerts: intents.map(\.alert)
        )
    }

    public func renderTest() -> RenderedMessage {
        let template = templates.templates[.test] ?? MessageTemplate(title: "Unity test notification", body: "")
        let values = ["link": link(for: nil) ?? ""]
        return RenderedMessage(
            event: .test, title: TemplateRenderer.render(template.title, values: values),
            body: Self.clean(TemplateRenderer.render(template.body, values: values)),
            severity: .info, link: link(for: nil), alerts: []
        )
    }

    static func values(for alert: AlertState, event: MessageKind, link: String?) -> [String: String] {
        let iso = ISO8601DateFormatter()
        return [
            "event": event.rawValue, "rule": alert.ruleName, "severity": alert.severity.rawValue,
            "source": alert.source.rawValue, "status": alert.status.rawValue, "resource": alert.resource.name,
            "resource_type": alert.resource.type, "resource_id": alert.resource.id,
            "value": formatValue(alert.value), "trigger_value": alert.triggerValue.map(formatValue) ?? "",
            "message": alert.message, "fired_at": alert.firedAt.map { iso.string(from: $0) } ?? "",
            "resolved_at": alert.resolvedAt.map { iso.string(from: $0) } ?? "",
            "acknowledged_by": alert.acknowledgement?.by ?? "", "note": alert.acknowledgement?.note ?? "-",
            "link": link ?? "",
        ]
    }

    /// Drops trailing empty lines left by empty placeholders (no base URL → no link line).
    static func clean(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}


extension MessageRenderer {
    /// A batcher output as one message: a single intent renders normally, a summary as a list.
    public func render(_ outgoing: OutgoingNotification) -> RenderedMessage {
        switch outgoing {
        case .single(let intent): render(intent)
        case .summary(_, let intents): renderSummary(intents)
        }
    }
}
