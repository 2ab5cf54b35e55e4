import Foundation

/// Key distribution: the start form, past jobs, and one job with per-server results and step logs.
struct DistributionListModel: Sendable {
    var jobs: [DistributionDTO]
    var keys: [(id: UUID, name: String)]
    var servers: [(id: UUID, name: String)]
    var form: FormState = .empty
}

enum DistributionsView {
    static let formFields = ["operation", "key_id", "new_key_id", "server_ids", "authorized_keys_path"]

    static func statusBadge(_ status: String) -> String {
        let tone = ["succeeded": "ok", "unchanged": "ok", "running": "muted", "partial": "warn", "interrupted": "warn", "warning": "warn", "skipped": "muted"][status] ?? "bad"
        return WebHTML.badge(status.replacingOccurrences(of: "_", with: " "), tone: tone)
    }

    static func body(_ model: DistributionListModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let rows = model.jobs.map { job -> [String] in
            ["<a href=\"/credentials/distributions/\(job.id.uuidString.lowercased())\">\(esc(job.operation))</a>", statusBadge(job.status),
             String(job.serverIds.count), esc(job.requestedBy), WebFormat.time(job.createdAt), WebFormat.time(job.finishedAt)]
        }
        return """
        <h1>Key distribution</h1>\(CertificatesView.subnav("/credentials/distributions"))
        \(viewer.can(.operator) ? startForm(model, viewer: viewer) : "")
        <section class="card" aria-labelledby="jobs-h"><h2 id="jobs-h">Jobs</h2>
        \(WebHTML.table(headers: ["Operation", "Status", "Servers", "By", "Started", "Finished"], rows: rows, empty: "No jobs yet."))</section>
        """
    }

    static func startForm(_ model: DistributionListModel, viewer: WebViewer) -> String {
        let form = model.form
        let operations: [(value: String, label: String)] = [("install", "Install a key"), ("revoke", "Revoke a key"), ("rotate", "Rotate: replace a key with another")]
        let keys = [(value: "", label: "Choose a key")] + model.keys.map { (value: $0.id.uuidString, label: $0.name) }
        let newKeys = [(value: "", label: "— (rotate only)")] + model.keys.map { (value: $0.id.uuidString, label: $0.name) }
        let ticked = Set(form.value("server_ids").split(separator: ",").map(String.init))
        let boxes = model.servers.map { WebHTML.checkbox($0.name, name: "server_ids", value: $0.id.uuidString, checked: ticked.contains($0.id.uuidString)) }.joined()
        let serverError = form.errors["server_ids"].map { "<p class=\"field-error\" id=\"f-server_ids-error\">\(WebHTML.esc($0))</p>" } ?? ""
        return """
        <section class="card" aria-labelledby="start-h"><h2 id="start-h">Start a job</h2>\(WebHTML.formMessage(form))
        <p class="muted">Each server is changed with a backup, proven with a fresh login, and put back if a step fails.</p>
        <form method="post" action="/credentials/distributions">\(viewer.csrfField)
        \(WebHTML.select("Operation", name: "operation", options: operations, selected: "install", form: form))
        \(WebHTML.select("Key", name: "key_id", options: keys, selected: "", form: form))
        \(WebHTML.select("New key", name: "new_key_id", options: newKeys, selected: "", form: form))
        <fieldset><legend>Servers</legend>\(model.servers.isEmpty ? "<p class=\"muted\">No servers yet.</p>" : boxes)\(serverError)</fieldset>
        \(WebHTML.field("authorized_keys path", name: "authorized_keys_path", form: form, value: ".ssh/authorized_keys", hint: "Relative to the login user's home, or absolute"))
        <button type="submit">Start job</button></form></section>
        """
    }

    static func jobPage(_ job: DistributionDTO, keyNames: [UUID: String], serverNames: [String: String], viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let running = job.status == DistributionJob.Status.running.rawValue
        let done = Set(job.results.map { $0.serverId.uppercased() })
        let pending = job.serverIds.filter { !done.contains($0.uppercased()) }.map { id in
            "<li>\(esc(serverNames[id.uppercased()] ?? id)) \(WebHTML.badge(running ? "waiting" : "not run", tone: "muted"))</li>"
        }.joined()
        let results = job.results.map { result -> String in
            let steps = result.steps.map { step in
                [esc(step.step.replacingOccurrences(of: "_", with: " ")), statusBadge(step.outcome), esc(step.message), "\(step.durationMs) ms"]
            }
            let backup = result.backupPath.map { "<p class=\"muted\">Backup: <code>\(esc($0))</code></p>" } ?? ""
            return """
            <article class="card server-result" data-outcome="\(esc(result.outcome))"><h3>\(esc(result.serverName)) \(statusBadge(result.outcome))</h3>
            \(backup)\(WebHTML.table(headers: ["Step", "Outcome", "Message", "Took"], rows: steps, empty: "No steps recorded."))</article>
            """
        }.joined(separator: "\n")
        let refresh = running ? "<meta http-equiv=\"refresh\" content=\"2\"><p class=\"muted\" role=\"status\">Running — this page refreshes every 2 seconds.</p>" : ""
        let interrupted = job.status == DistributionJob.Status.interrupted.rawValue
        let reason = job.statusReason.map { "<p class=\"field-error\" id=\"status-reason\">\(esc($0))</p>" } ?? ""
        let retry = interrupted && !pending.isEmpty && viewer.can(.operator) ? """
            <form method="post" action="/credentials/distributions/\(job.id.uuidString.lowercased())/retry">\(viewer.csrfField)
            <button type="submit">Retry the servers that did not finish</button></form>
            """ : ""
        return """
        <p><a href="/credentials/distributions">← Key distribution</a></p>
        <h1>Key \(esc(job.operation)) \(statusBadge(job.status))</h1>\(refresh)\(reason)\(retry)
        <section class="card"><dl class="facts"><dt>Key</dt><dd>\(esc(keyNames[job.keyId] ?? job.keyId.uuidString.lowercased()))</dd>
        \(job.newKeyId.map { "<dt>New key</dt><dd>\(esc(keyNames[$0] ?? $0.uuidString.lowercased()))</dd>" } ?? "")
        <dt>authorized_keys</dt><dd><code>\(esc(job.authorizedKeysPath))</code></dd><dt>Requested by</dt><dd>\(esc(job.requestedBy))</dd>
        <dt>Started</dt><dd>\(WebFormat.time(job.createdAt))</dd><dt>Finished</dt><dd>\(WebFormat.time(job.finishedAt))</dd>
        <dt>Done</dt><dd id="servers-done">\(job.results.count) of \(job.serverIds.count) servers</dd></dl>
        \(pending.isEmpty ? "" : "<ul class=\"pending\">\(pending)</ul>")</section>
        \(results)
        """
    }
}
