import Foundation

/// The audit log with its filters, and scheduled tasks with their history.
enum AdminLogsView {
    static func audit(_ events: [AuditEventDTO], total: Int, filters: [String: String]) -> String {
        let esc = WebHTML.esc
        let form = FormState(values: filters)
        let rows = events.map { event in
            [WebFormat.time(event.occurredAt), esc(event.actorName ?? event.actorType), "<code>\(esc(event.action))</code>",
             esc([event.targetType, event.targetId].compactMap { $0 }.joined(separator: " ")),
             WebHTML.badge(event.outcome, tone: event.outcome == "success" ? "ok" : "bad"), event.statusCode.map(String.init) ?? ""]
        }
        return """
        <h1>Audit log</h1>\(AdminView.subnav("/admin/audit"))
        <section class="card"><form method="get" action="/admin/audit" class="filters" role="search">
        \(WebHTML.field("Actor", name: "actor", form: form))
        \(WebHTML.field("Action", name: "action", form: form, hint: "e.g. servers.create"))
        \(WebHTML.select("Outcome", name: "outcome", options: [("", "Any"), ("success", "success"), ("failure", "failure"), ("denied", "denied")].map { (value: $0.0, label: $0.1) }, selected: "", form: form))
        <button type="submit">Filter</button></form>
        <p class="muted">\(total) events (newest 100 shown)</p>
        \(WebHTML.table(headers: ["When", "Who", "Action", "Target", "Outcome", "Status"], rows: rows, empty: "No events match."))</section>
        """
    }

    static func tasks(_ tasks: [TaskDTO], viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let rows = tasks.map { task -> [String] in
            let run = viewer.can(.operator)
                ? WebHTML.actionButton("Run now", action: "/admin/tasks/\(task.name)/run", viewer: viewer, style: "secondary") : ""
            return ["<a href=\"/admin/tasks/\(esc(task.name))\">\(esc(task.name))</a><br><small class=\"muted\">\(esc(task.summary))</small>",
                    WebFormat.duration(Double(task.intervalSeconds)),
                    task.running ? WebHTML.badge("running", tone: "warn") : task.lastRun.map { DashboardView.runBadge($0.status) } ?? WebHTML.badge("never run", tone: "muted"),
                    WebFormat.time(task.lastRun?.startedAt), WebFormat.time(task.nextRunAt), run]
        }
        return """
        <h1>Scheduled tasks</h1>\(AdminView.subnav("/admin/tasks"))
        <section class="card">\(WebHTML.table(headers: ["Task", "Every", "Last run", "Started", "Next run", ""], rows: rows, empty: "No tasks."))</section>
        """
    }

    static func history(_ task: String, runs: [TaskRunDTO]) -> String {
        let esc = WebHTML.esc
        let rows = runs.map { run in
            [WebFormat.time(run.startedAt), esc(run.trigger), DashboardView.runBadge(run.status), run.durationMs.map { "\($0) ms" } ?? "—",
             esc(run.error ?? run.summary ?? ""), esc(run.replica)]
        }
        return """
        <p><a href="/admin/tasks">← Scheduled tasks</a></p><h1>Runs of \(esc(task))</h1>
        <section class="card">\(WebHTML.table(headers: ["Started", "Trigger", "Status", "Took", "Result", "Replica"], rows: rows, empty: "Never run."))</section>
        """
    }
}
