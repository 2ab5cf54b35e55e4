import Fluent
import UnityAlerts
import Vapor

/// `/alerts` additions: acknowledge or resolve many alerts at once, and maintenance mode.
enum AlertBulkPages {
    static func bulk(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.perform(request, back: "/alerts") {
            let ids = form.values("ids").compactMap { UUID(uuidString: $0) }
            guard !ids.isEmpty else { throw APIError.validation("ids", "tick the alerts to act on first") }
            let action = form.text("action") ?? ""
            let body = BulkAlertActionBody(action: action, ids: ids, note: form.text("note"), untilValueChanges: nil, until: nil,
                                           minutes: action == "snooze" ? (form.text("minutes").flatMap(Int.init) ?? 60) : nil)
            let result = try await request.callAPI("alerts.bulk", body: body, AlertsController.bulk)
            let verb = ["acknowledge": "Acknowledged", "resolve": "Resolved", "snooze": "Snoozed"][action] ?? action
            let refused = result.rejected.isEmpty ? "" : " Not changed: " + result.rejected.map(\.reason).joined(separator: "; ") + "."
            return WebNoticeText.short("\(verb) \(result.updated.count) alerts.\(refused)")
        }
    }

    /// The whole maintenance state from the form: the global switch and the ticked servers.
    static func setMaintenance(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.perform(request, back: "/alerts") {
            let body = MaintenanceDTO(global: form.flag("global"), serverIds: form.values("server_ids"))
            let result = try await request.callAPI("alerts.set_maintenance", body: body, AlertsController.setMaintenance)
            return result.global ? "Maintenance mode is on for everything: notifications are held back."
                : result.serverIds.isEmpty ? "Maintenance mode is off." : "Maintenance mode is on for \(result.serverIds.count) servers."
        }
    }

    static func model(_ request: Request) async throws -> AlertMaintenanceModel {
        let value = try await MaintenanceStore.load(on: request.db)
        let servers = try await MonitoredServer.query(on: request.db).sort(\.$name).all().compactMap { server in server.id.map { (id: $0, name: server.name) } }
        return AlertMaintenanceModel(global: value.global, servers: servers, inMaintenance: value.servers)
    }
}

struct AlertMaintenanceModel: Sendable {
    var global: Bool
    var servers: [(id: UUID, name: String)]
    /// Server ids as `uuidString` (upper case), the form the alert resources use.
    var inMaintenance: Set<String>
}

enum AlertBulkView {
    static let formID = "bulk-alerts"

    /// A checkbox tied to the bulk form by its `form` attribute (the row's own forms cannot nest it).
    static func checkbox(_ alert: AlertDTO) -> String {
        let id = alert.id.uuidString.lowercased()
        return "<input type=\"checkbox\" class=\"pick\" form=\"\(formID)\" name=\"ids\" value=\"\(id)\" id=\"pick-\(id)\" aria-label=\"Select \(WebHTML.esc(alert.resourceName))\">"
    }

    static func bulkForm(_ viewer: WebViewer) -> String {
        let actions: [(value: String, label: String)] = [("acknowledge", "Acknowledge"), ("resolve", "Resolve"), ("snooze", "Snooze for 1 hour")]
        return """
        <form method="post" action="/alerts/bulk" id="\(formID)" class="filters bulk">\(viewer.csrfField)
        <input type="hidden" name="minutes" value="60">
        \(WebHTML.select("With the selected alerts", name: "action", options: actions, selected: "acknowledge", form: .empty))
        \(WebHTML.field("Note", name: "note", form: .empty, hint: "Optional, for acknowledge", extra: "maxlength=\"1000\""))
        <button type="submit">Apply to selected</button></form>
        """
    }

    static func maintenanceCard(_ model: AlertMaintenanceModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let names = model.servers.filter { model.inMaintenance.contains($0.id.uuidString) }.map(\.name)
        let state = model.global ? "On for everything: no notifications are sent."
            : names.isEmpty ? "Off." : "On for " + esc(names.joined(separator: ", ")) + "."
        var form = ""
        if viewer.can(.operator) {
            let boxes = model.servers.map { WebHTML.checkbox($0.name, name: "server_ids", value: $0.id.uuidString, checked: model.inMaintenance.contains($0.id.uuidString)) }.joined()
            form = """
            <details><summary>Change</summary>
            <form method="post" action="/alerts/maintenance">\(viewer.csrfField)
            \(WebHTML.checkbox("Everything (global)", name: "global", checked: model.global))
            <fieldset><legend>Servers</legend>\(boxes.isEmpty ? "<p class=\"muted\">No servers yet.</p>" : boxes)</fieldset>
            <button type="submit">Save maintenance mode</button></form></details>
            """
        }
        return """
        <section class="card" id="maintenance" aria-labelledby="maintenance-h"><h2 id="maintenance-h">Maintenance mode \(model.global || !names.isEmpty ? WebHTML.badge("on", tone: "warn") : "")</h2>
        <p>\(state) Alerts still fire and show here; notifications are held back.</p>\(form)</section>
        """
    }
}
