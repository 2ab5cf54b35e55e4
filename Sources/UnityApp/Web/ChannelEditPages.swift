import Fluent
import UnityAlerts
import Vapor

/// `/channels/:id` (change a channel; the URL is write-only, blank keeps it) and
/// `/channels/templates` (the message template of each event; "restore default" resets one).
enum ChannelEditPages {
    static func edit(_ request: Request) async throws -> Response { try await renderEdit(request, form: .empty, status: .ok) }

    static func renderEdit(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let channel = try await NotificationChannelsController.get(request)
        return try WebLayout.respond(request, title: "Edit \(channel.name)", section: .alerts, status: status) {
            ChannelEditView.editPage(channel, form: form, viewer: $0)
        }
    }

    static func update(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            var pem = form["trusted_ca_pem"].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            if form.flag("remove_trusted_ca") { pem = "" }
            let body = NotificationChannelBody(name: form.text("name"), url: form.text("url"), enabled: form.flag("enabled"),
                                               events: form.values("events"), allRules: form.flag("all_rules"),
                                               tlsVerify: form.flag("tls_verify"), trustedCaPem: pem)
            let channel = try await request.callAPI("notification_channels.update", body: body, NotificationChannelsController.update)
            return ("/channels", "Saved \(channel.name) (\(channel.url)).")
        }, failure: { error in
            // The URL and CA are not echoed back: the URL holds secrets.
            var values = form.kept(["name", "submitted"])
            for flag in ["enabled", "all_rules", "tls_verify"] where form.flag(flag) { values[flag] = "on" }
            values["events"] = form.values("events").joined(separator: ",")
            return try await renderEdit(request, form: FormState(values: values, error: error, fields: ChannelEditView.formFields), status: error.status)
        })
    }

    static func templates(_ request: Request) async throws -> Response { try await renderTemplates(request, form: .empty, status: .ok) }

    static func renderTemplates(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let templates = try await NotificationTemplatesController.get(request)
        return try WebLayout.respond(request, title: "Message templates", section: .alerts, status: status) {
            ChannelEditView.templatesPage(templates, form: form, viewer: $0)
        }
    }

    /// Sends only the events whose text changed, and null for those to restore.
    static func updateTemplates(_ request: Request) async throws -> Response {
        let form = request.webForm()
        let current = try await NotificationTemplatesController.get(request)
        return try await WebActions.submit(request, success: {
            var changes: [String: TemplateDTO?] = [:]
            for kind in MessageKind.allCases.map(\.rawValue) {
                if form.flag("reset.\(kind)") { changes[kind] = .some(nil); continue }
                guard let title = form["title.\(kind)"], let body = form["body.\(kind)"] else { continue }
                let typed = TemplateDTO(title: title.trimmingCharacters(in: .whitespacesAndNewlines), body: body.replacingOccurrences(of: "\r\n", with: "\n"))
                if let stored = current.templates[kind], stored.title == typed.title, stored.body == typed.body { continue }
                changes[kind] = typed
            }
            guard !changes.isEmpty else { return ("/channels/templates", "Nothing changed.") }
            let result = try await request.callAPI("notification_templates.update", body: UpdateTemplatesBody(templates: changes), NotificationTemplatesController.update)
            return ("/channels/templates", "Saved the templates. Customized: \(result.customized.isEmpty ? "none" : result.customized.joined(separator: ", ")).")
        }, failure: { error in
            var values: [String: String] = [:]
            for (name, value) in form.pairs where name.hasPrefix("title.") || name.hasPrefix("body.") { values[name] = value }
            let fields = MessageKind.allCases.map { "templates.\($0.rawValue)" } + ["templates"]
            return try await renderTemplates(request, form: FormState(values: values, error: error, fields: fields), status: error.status)
        })
    }
}
