import Vapor

/// `/alerts/:id`: one alert with everything the API knows about it, and its actions.
enum AlertDetailPages {
    static func detail(_ request: Request) async throws -> Response {
        let alert = try await AlertsController.get(request)
        return try WebLayout.respond(request, title: "\(alert.rule) on \(alert.resourceName)", section: .alerts) { AlertDetailView.body(alert, viewer: $0) }
    }
}

enum AlertDetailView {
    static func body(_ alert: AlertDTO, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        var facts: [(String, String)] = [
            ("Rule", "<a href=\"/alert-rules/\(alert.ruleId.uuidString.lowercased())\">\(esc(alert.rule))</a>"),
            ("Severity", AlertsView.severityBadge(alert.severity)), ("Status", AlertsView.statusBadge(alert.status)),
            ("Source", esc(alert.source)),
            ("Resource", esc(alert.resourceName) + " <small class=\"muted\"><code>\(esc(alert.resourceType)):\(esc(alert.resourceId))</code></small>"),
            ("Value", esc(WebFormat.number(alert.value)) + (alert.triggerValue.map { " <small class=\"muted\">(fired at \(esc(WebFormat.number($0))))</small>" } ?? "")),
            ("Fired", WebFormat.time(alert.firedAt)), ("Last evaluated", WebFormat.time(alert.lastEvaluatedAt)),
        ]
        if let server = alert.serverId?.lowercased() { facts.insert(("Server", "<a href=\"/servers/\(esc(server))\">open the server</a>"), at: 5) }
        if let by = alert.acknowledgedBy {
            facts.append(("Acknowledged", "by \(esc(by)) \(WebFormat.time(alert.acknowledgedAt))\(alert.acknowledgementNote.map { ": " + esc($0) } ?? "")\(alert.untilValueChanges == true ? " (until the value changes)" : "")"))
        }
        if let until = alert.snoozedUntil { facts.append(("Snoozed until", WebFormat.time(until))) }
        if alert.resolvedAt != nil { facts.append(("Resolved", "\(WebFormat.time(alert.resolvedAt))\(alert.resolvedBy.map { " by " + esc($0) } ?? "")")) }
        let list = facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined()
        let actions = viewer.can(.operator) && alert.status != "resolved" ? "<section class=\"card\"><h2>Act</h2>\(AlertsView.actions(alert, viewer: viewer))</section>" : ""
        return """
        <p><a href="/alerts">← Alerts</a></p>
        <h1>\(esc(alert.rule)) on \(esc(alert.resourceName))</h1>
        <section class="card"><p id="alert-message">\(esc(alert.message))</p><dl class="facts">\(list)</dl></section>
        \(actions)
        """
    }
}
