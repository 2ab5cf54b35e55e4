import Foundation

/// Alert rules: the list, and one rule's form (editable by admins) with its dry run.
enum AlertRulesView {
    static let formFields = ["threshold", "clear_threshold", "for_duration", "severity", "channel_ids"]

    static func list(_ rules: [AlertRuleDTO], viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let rows = rules.map { rule in
            ["<a href=\"/alert-rules/\(rule.id.uuidString.lowercased())\">\(esc(rule.name))</a>", "<code>\(esc(rule.metric))</code>",
             esc("\(rule.operator) \(WebFormat.number(rule.threshold))") + (rule.clearThreshold.map { " <small>(clears \(esc(WebFormat.number($0))))</small>" } ?? ""),
             WebFormat.duration(rule.forDuration), AlertsView.severityBadge(rule.severity),
             WebHTML.badge(rule.enabled ? "enabled" : "disabled", tone: rule.enabled ? "ok" : "muted"), String(rule.channelIds.count)]
        }
        return """
        <h1>Alert rules</h1>\(AlertsView.subnav("/alert-rules"))
        <section class="card">\(WebHTML.table(headers: ["Rule", "Metric", "Condition", "For", "Severity", "State", "Channels"], rows: rows, empty: "No rules."))</section>
        """
    }

    static func edit(_ rule: AlertRuleDTO, channels: [NotificationChannelDTO], form: FormState, dryRun: DryRunDTO?, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/alert-rules/\(rule.id.uuidString.lowercased())"
        let disabled = viewer.can(.admin) ? "" : " disabled"
        let chosen = form.values["channel_ids"].map { Set($0.split(separator: ",").map(String.init)) }
            ?? Set(rule.channelIds.map { $0.uuidString.lowercased() })
        let channelBoxes = channels.map { (channel) -> String in
            WebHTML.checkbox("\(channel.name) (\(channel.kind))", name: "channel_ids", value: channel.id.uuidString.lowercased(),
                             checked: chosen.contains(channel.id.uuidString.lowercased()))
        }.joined()
        let enabled = form.values.isEmpty ? rule.enabled : form.values["enabled"] != nil
        var buttons = ""
        if viewer.can(.admin) { buttons += "<button type=\"submit\">Save rule</button> " }
        if viewer.can(.operator) { buttons += "<button type=\"submit\" class=\"secondary\" formaction=\"\(base)/dry-run\">Dry run</button>" }
        return """
        <p><a href="/alert-rules">← Rules</a></p>
        <h1>\(esc(rule.name))</h1>
        <p class="muted"><code>\(esc(rule.metric))</code> \(esc(rule.operator)) threshold · \(esc(rule.source))\(rule.builtin ? " · ships with Unity" : "")</p>
        <section class="card" aria-labelledby="rule-h"><h2 id="rule-h">Condition</h2>\(WebHTML.formMessage(form))
        <form method="post" action="\(base)">\(viewer.csrfField)<fieldset\(disabled)>
        <div class="grid">
        \(WebHTML.field("Threshold", name: "threshold", form: form, value: WebFormat.number(rule.threshold), required: true, extra: "inputmode=\"decimal\""))
        \(WebHTML.field("Clear threshold", name: "clear_threshold", form: form, value: rule.clearThreshold.map(WebFormat.number) ?? "", hint: "Resolves only past this value (hysteresis); leave empty to keep", extra: "inputmode=\"decimal\""))
        \(WebHTML.field("For (seconds)", name: "for_duration", form: form, value: WebFormat.number(rule.forDuration), hint: "How long the condition must hold before firing", extra: "inputmode=\"numeric\""))
        \(WebHTML.select("Severity", name: "severity", options: ["info", "warning", "critical"].map { (value: $0, label: $0) }, selected: rule.severity, form: form))
        </div>
        \(WebHTML.checkbox("Enabled", name: "enabled", checked: enabled))
        <fieldset><legend>Notify these channels</legend>\(channels.isEmpty ? "<p class=\"muted\">No channels yet.</p>" : channelBoxes)
        \(form.errors["channel_ids"].map { "<p class=\"field-error\">\(esc($0))</p>" } ?? "")</fieldset>
        </fieldset><div class="actions">\(buttons)</div></form></section>
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
