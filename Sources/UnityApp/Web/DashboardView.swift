import Foundation

/// What the dashboard shows, gathered by `DashboardPages` and rendered by `DashboardView`.
struct DashboardModel: Sendable {
    /// A disk, pool or array whose latest snapshot says it needs a look.
    struct Attention: Sendable, Equatable {
        var serverID: UUID
        var serverName: String
        var kind: String
        var name: String
        var state: String
        var detail: String
    }

    var serversUp = 0
    var serversDown = 0
    var serversOther = 0
    var attention: [Attention] = []
    var activeAlerts: [AlertDTO] = []
    /// nil when the viewer may not read the audit log (admins only).
    var audit: [AuditEventDTO]?
    var tasks: [TaskDTO] = []
}

enum DashboardView {
    static func body(_ model: DashboardModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let attentionRows = model.attention.map { item in
            ["<a href=\"/servers/\(item.serverID.uuidString.lowercased())\">\(esc(item.serverName))</a>", esc(item.kind),
             esc(item.name), WebHTML.badge(item.state, tone: "bad"), esc(item.detail)]
        }
        let auditHTML = model.audit.map { (events) -> String in
            let rows = events.map { event in
                [WebFormat.time(event.occurredAt), esc(event.actorName ?? event.actorType), "<code>\(esc(event.action))</code>",
                 WebHTML.badge(event.outcome, tone: event.outcome == "success" ? "ok" : "bad")]
            }
            return """
            <section class="card" aria-labelledby="audit-h"><h2 id="audit-h">Recent audit events</h2>
            \(WebHTML.table(headers: ["When", "Who", "Action", "Outcome"], rows: rows, empty: "Nothing recorded yet."))
            <p><a href="/admin/audit">Full audit log</a></p></section>
            """
        } ?? ""
        let taskRows = model.tasks.map { task in
            [esc(task.name), task.lastRun.map { runBadge($0.status) } ?? WebHTML.badge("never run", tone: "muted"),
             WebFormat.time(task.lastRun?.startedAt), WebFormat.time(task.nextRunAt)]
        }
        return """
        <h1>Dashboard</h1>
        <div class="grid">
        <section class="card" aria-labelledby="servers-h"><h2 id="servers-h">Servers</h2>
        <div class="stats"><p class="stat"><strong id="servers-up">\(model.serversUp)</strong> up</p>
        <p class="stat"><strong id="servers-down">\(model.serversDown)</strong> down</p>
        <p class="stat"><strong>\(model.serversOther)</strong> other</p></div>
        <p><a href="/servers">All servers</a></p></section>
        <section class="card" id="alerts-panel" aria-labelledby="alerts-h" aria-live="polite" data-live-alerts="/dashboard/alerts">
        \(alertPanel(model.activeAlerts))
        </section>
        </div>
        <section class="card" aria-labelledby="attention-h"><h2 id="attention-h">Storage needing attention</h2>
        \(WebHTML.table(headers: ["Server", "Kind", "Name", "State", "Detail"], rows: attentionRows, empty: "All disks, pools and arrays look healthy."))
        </section>
        \(auditHTML)
        <section class="card" aria-labelledby="tasks-h"><h2 id="tasks-h">Scheduled tasks</h2>
        \(WebHTML.table(headers: ["Task", "Last run", "Started", "Next run"], rows: taskRows, empty: "No tasks."))
        </section>
        """
    }

    /// The alert panel alone: also served at `/dashboard/alerts` for the live refresh.
    static func alertPanel(_ alerts: [AlertDTO]) -> String {
        let rows = alerts.map { alert in
            [AlertsView.severityBadge(alert.severity), "<a href=\"/alerts?status=active\">\(WebHTML.esc(alert.resourceName))</a>",
             WebHTML.esc(alert.message), AlertsView.statusBadge(alert.status)]
        }
        let firing = alerts.filter { $0.status == "firing" }.count
        return """
        <h2 id="alerts-h">Alerts: <span id="alerts-firing">\(firing)</span> firing</h2>
        \(WebHTML.table(headers: ["Severity", "Resource", "Message", "Status"], rows: rows, empty: "No active alerts."))
        <p><a href="/alerts">All alerts</a></p>
        """
    }

    static func runBadge(_ status: String) -> String {
        WebHTML.badge(status, tone: status == "succeeded" ? "ok" : status == "running" ? "warn" : "bad")
    }
}
