import Foundation

/// The alert list with its filters and, for operators, acknowledge / snooze / resolve.
struct AlertListModel: Sendable {
    var alerts: [AlertDTO]
    var total: Int
    var status: String
    var severity: String
    var source: String
    var maintenance: AlertMaintenanceModel?
}

enum AlertsView {
    static func subnav(_ current: String) -> String {
        let links = [("/alerts", "Alerts"), ("/alert-rules", "Rules"), ("/channels", "Notification channels")]
        return "<nav aria-label=\"Alerts\" class=\"actions\">" + links.map { (link) -> String in
            "<a href=\"\(link.0)\"\(link.0 == current ? " aria-current=\"page\"" : "")>\(link.1)</a>"
        }.joined(separator: " · ") + "</nav>"
    }

    static func body(_ model: AlertListModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        func options(_ values: [String], all: String) -> [(value: String, label: String)] { [("", all)] + values.map { ($0, $0) } }
        let filters = """
        <form method="get" action="/alerts" class="filters" role="search">
        \(WebHTML.select("Status", name: "status", options: options(["active", "firing", "acknowledged", "resolved"], all: "Any status"), selected: model.status, form: .empty))
        \(WebHTML.select("Severity", name: "severity", options: options(["critical", "warning", "info"], all: "Any severity"), selected: model.severity, form: .empty))
        \(WebHTML.select("Source", name: "source", options: options(["infrastructure", "credentials", "containers", "system"], all: "Any source"), selected: model.source, form: .empty))
        <button type="submit">Filter</button></form>
        """
        let rows = model.alerts.map { alert -> [String] in
            var status = statusBadge(alert.status)
            if let by = alert.acknowledgedBy {
                status += "<br><small>by \(esc(by))\(alert.acknowledgementNote.map { ": " + esc($0) } ?? "")\(alert.untilValueChanges == true ? " (until the value changes)" : "")</small>"
            }
            if let until = alert.snoozedUntil { status += "<br><small>snoozed until \(WebFormat.time(until))</small>" }
            let pick = viewer.can(.operator) ? [alert.status == "resolved" ? "" : AlertBulkView.checkbox(alert)] : []
            return pick + [severityBadge(alert.severity), "<a href=\"/alerts/\(alert.id.uuidString.lowercased())\">\(esc(alert.resourceName))</a><br><small class=\"muted\">\(esc(alert.rule))</small>",
                    esc(alert.message), status, WebFormat.time(alert.firedAt),
                    viewer.can(.operator) && alert.status != "resolved" ? actions(alert, viewer: viewer) : ""]
        }
        return """
        <h1>Alerts</h1>\(subnav("/alerts"))
        <section class="card" aria-label="Alert list">\(filters)
        <p class="muted">\(model.total) alerts</p>
        \(viewer.can(.operator) && !rows.isEmpty ? AlertBulkView.bulkForm(viewer) : "")
        \(WebHTML.table(headers: (viewer.can(.operator) ? ["Pick"] : []) + ["Severity", "Resource", "Message", "Status", "Fired", ""], rows: rows, empty: "No alerts match."))
        </section>
        \(model.maintenance.map { AlertBulkView.maintenanceCard($0, viewer: viewer) } ?? "")
        """
    }

    /// Per-alert forms, folded into a disclosure so a long list stays readable (works without JS).
    static func actions(_ alert: AlertDTO, viewer: WebViewer) -> String {
        let base = "/alerts/\(alert.id.uuidString.lowercased())"
        let key = alert.id.uuidString.lowercased().prefix(8)
        let acknowledge = alert.status == "firing" ? """
        <form method="post" action="\(base)/acknowledge">\(viewer.csrfField)
        <label for="note-\(key)">Note</label><input id="note-\(key)" name="note" maxlength="1000">
        \(WebHTML.checkbox("Until the value changes", name: "until_value_changes", value: String(key), checked: false))
        <button type="submit">Acknowledge</button></form>
        """ : ""
        return """
        <details><summary>Act</summary>\(acknowledge)
        <form method="post" action="\(base)/snooze">\(viewer.csrfField)
        <label for="minutes-\(key)">Snooze for</label><select id="minutes-\(key)" name="minutes">
        <option value="60">1 hour</option><option value="240">4 hours</option><option value="1440">1 day</option><option value="10080">1 week</option></select>
        <button type="submit" class="secondary">Snooze</button></form>
        \(WebHTML.actionButton("Resolve", action: "\(base)/resolve", viewer: viewer, style: "secondary"))
        </details>
        """
    }

    static func severityBadge(_ severity: String) -> String {
        WebHTML.badge(severity, tone: severity == "critical" ? "bad" : severity == "warning" ? "warn" : "muted")
    }

    static func statusBadge(_ status: String) -> String {
        WebHTML.badge(status, tone: status == "firing" ? "bad" : status == "resolved" ? "ok" : "warn")
    }
}
