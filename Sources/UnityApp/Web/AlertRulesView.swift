import Foundation

/// Alert rules: the list, and one rule's form (editable by admins) with its dry run.
enum AlertRulesView {
    static let formFields = AlertRuleFormView.formFields

    static func list(_ rules: [AlertRuleDTO], viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let rows = rules.map { rule in
            ["<a href=\"/alert-rules/\(rule.id.uuidString.lowercased())\">\(esc(rule.name))</a>", "<code>\(esc(rule.metric))</code>",
             esc("\(rule.operator) \(WebFormat.number(rule.threshold))") + (rule.clearThreshold.map { " <small>(clears \(esc(WebFormat.number($0))))</small>" } ?? ""),
             WebFormat.duration(rule.forDuration), AlertsView.severityBadge(rule.severity),
             WebHTML.badge(rule.enabled ? "enabled" : "disabled", tone: rule.enabled ? "ok" : "muted"), String(rule.channelIds.count)]
        }
        var actions = ""
        if viewer.can(.operator) { actions += "<a href=\"/alert-rules/new\">New rule…</a>" }
        if viewer.can(.admin) {
            actions += " <form method=\"post\" action=\"/alert-rules/reset\" class=\"inline\" data-confirm=\"Restore the default rules to how Unity ships them? Your own rules stay.\">\(viewer.csrfField)<button type=\"submit\" class=\"secondary\">Reset default rules</button></form>"
        }
        return """
        <h1>Alert rules</h1>\(AlertsView.subnav("/alert-rules"))
        <section class="card">\(WebHTML.table(headers: ["Rule", "Metric", "Condition", "For", "Severity", "State", "Channels"], rows: rows, empty: "No rules."))
        \(actions.isEmpty ? "" : "<div class=\"actions\" id=\"rule-actions\">\(actions)</div>")</section>
        """
    }

    static func edit(_ rule: AlertRuleDTO, metrics: [AlertMetricDTO], channels: [NotificationChannelDTO], form: FormState, dryRun: DryRunDTO?, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/alert-rules/\(rule.id.uuidString.lowercased())"
        // Default rules cannot be deleted (disable them instead); the button sits after the form.
        let delete = viewer.can(.admin) && !rule.builtin ? """
        <section class="card" aria-labelledby="delete-rule-h"><h2 id="delete-rule-h">Delete</h2>
        <form method="post" action="\(base)/delete" class="inline" data-confirm="Delete the rule \(esc(rule.name))?">\(viewer.csrfField)<button type="submit" class="danger">Delete rule</button></form></section>
        """ : ""
        return """
        <p><a href="/alert-rules">← Rules</a></p>
        <h1>\(esc(rule.name))</h1>
        <p class="muted"><code>\(esc(rule.metric))</code> \(esc(rule.operator)) threshold · \(esc(rule.source))\(rule.builtin ? " · ships with Unity" : "")</p>
        \(AlertRuleFormView.form(rule, metrics: metrics, channels: channels, form: form, viewer: viewer))
        \(dryRun.map(dryRunResult) ?? "")
        \(delete)
        """
    }

    static func new(metrics: [AlertMetricDTO], channels: [NotificationChannelDTO], form: FormState, dryRun: DryRunDTO?, viewer: WebViewer) -> String {
        """
        <p><a href="/alert-rules">← Rules</a></p>
        <h1>New alert rule</h1>
        \(AlertRuleFormView.form(nil, metrics: metrics, channels: channels, form: form, viewer: viewer))
        \(dryRun.map(dryRunResult) ?? "")
        """
    }

    static func dryRunResult(_ result: DryRunDTO) -> String {
        let esc = WebHTML.esc
        func rows(_ alerts: [AlertDTO], _ label: String) -> [[String]] {
            alerts.map { [esc(label), esc($0.resourceName), esc(WebFormat.number($0.value)), esc($0.message)] }
        }
        let all = rows(result.wouldFire, "would fire") + rows(result.stillActive, "still active") + rows(result.wouldResolve, "would resolve")
        return """
        <section class="card" id="dry-run" aria-labelledby="dry-h"><h2 id="dry-h">Dry run</h2>
        <p>\(result.observationsEvaluated) current values checked: \(result.wouldFire.count) would fire, \(result.stillActive.count) still active, \(result.wouldResolve.count) would resolve. Nothing was saved or sent.</p>
        \(WebHTML.table(headers: ["Outcome", "Resource", "Value", "Message"], rows: all, empty: "No alert would change."))</section>
        """
    }
}
