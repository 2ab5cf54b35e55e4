import Foundation

/// The full alert rule form, for a new rule (`rule` nil) and for an existing one: what to watch,
/// when it fires and clears, whom it targets, where it notifies. Admins save; operators dry-run.
enum AlertRuleFormView {
    static let formFields = ["name", "metric", "operator", "threshold", "clear_threshold", "for_duration", "severity",
                             "target.type", "target.tag", "target.resources", "channel_ids", "message_template"]

    static func form(_ rule: AlertRuleDTO?, metrics: [AlertMetricDTO], channels: [NotificationChannelDTO], form: FormState, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = rule.map { "/alert-rules/\($0.id.uuidString.lowercased())" }
        let action = base ?? "/alert-rules"
        let dryRunAction = base.map { "\($0)/dry-run" } ?? "/alert-rules/dry-run"
        let disabled = viewer.can(.admin) ? "" : " disabled"
        let submitted = form.values["submitted"] != nil
        let chosen = submitted ? Set((form.values["channel_ids"] ?? "").split(separator: ",").map(String.init))
            : Set((rule?.channelIds ?? []).map { $0.uuidString.lowercased() })
        let channelBoxes = channels.map { (channel) -> String in
            WebHTML.checkbox("\(channel.name) (\(channel.kind))", name: "channel_ids", value: channel.id.uuidString.lowercased(),
                             checked: chosen.contains(channel.id.uuidString.lowercased()))
        }.joined()
        let enabled = submitted ? form.values["enabled"] != nil : (rule?.enabled ?? true)
        let metricOptions = metrics.map { (value: $0.key, label: "\($0.key) (\($0.kind), \($0.resourceType)\($0.unit.isEmpty ? "" : ", \($0.unit)")) — \($0.summary)") }
        let operators = (AlertRuleDTO.allowedValues["operator"] ?? []).map { (value: $0, label: $0) }
        let targets = [(value: "all", label: "All resources"), (value: "tag", label: "Servers with a tag"), (value: "resources", label: "These resources")]
        var buttons = ""
        if viewer.can(.admin) { buttons += "<button type=\"submit\">\(rule == nil ? "Create rule" : "Save rule")</button> " }
        if viewer.can(.operator) { buttons += "<button type=\"submit\" class=\"secondary\" formaction=\"\(dryRunAction)\">Dry run</button>" }
        return """
        <section class="card" aria-labelledby="rule-h"><h2 id="rule-h">\(rule == nil ? "New rule" : "Rule")</h2>\(WebHTML.formMessage(form))
        <form method="post" action="\(action)">\(viewer.csrfField)<input type="hidden" name="submitted" value="1"><fieldset\(disabled)>
        \(WebHTML.field("Name", name: "name", form: form, value: rule?.name ?? "", required: true))
        \(WebHTML.select("Metric or event", name: "metric", options: metricOptions, selected: rule?.metric ?? "", form: form))
        <div class="grid">
        \(WebHTML.select("Operator", name: "operator", options: operators, selected: rule?.operator ?? ">", form: form))
        \(WebHTML.field("Threshold", name: "threshold", form: form, value: rule.map { WebFormat.number($0.threshold) } ?? "", required: true, hint: "Events: compared with 1 when the event happens", extra: "inputmode=\"decimal\""))
        \(WebHTML.field("Clear threshold", name: "clear_threshold", form: form, value: rule?.clearThreshold.map(WebFormat.number) ?? "", hint: "Resolves only past this value (hysteresis); empty: resolves at the threshold", extra: "inputmode=\"decimal\""))
        \(WebHTML.field("For (seconds)", name: "for_duration", form: form, value: WebFormat.number(rule?.forDuration ?? 0), hint: "How long the condition must hold before firing", extra: "inputmode=\"numeric\""))
        \(WebHTML.select("Severity", name: "severity", options: ["info", "warning", "critical"].map { (value: $0, label: $0) }, selected: rule?.severity ?? "warning", form: form))
        </div>
        <fieldset><legend>Applies to</legend><div class="grid">
        \(WebHTML.select("Target", name: "target.type", options: targets, selected: rule?.target.type ?? "all", form: form))
        \(WebHTML.field("Tag", name: "target.tag", form: form, value: rule?.target.tag ?? "", hint: "When the target is a tag"))
        \(WebHTML.field("Resources", name: "target.resources", form: form, value: (rule?.target.resources ?? []).joined(separator: ", "), hint: "When the target is a list: type:id, comma-separated"))
        </div></fieldset>
        \(WebHTML.checkbox("Enabled", name: "enabled", checked: enabled))
        <fieldset><legend>Notify these channels</legend>\(channels.isEmpty ? "<p class=\"muted\">No channels yet.</p>" : channelBoxes)
        \(form.errors["channel_ids"].map { "<p class=\"field-error\">\(esc($0))</p>" } ?? "")</fieldset>
        \(WebHTML.field("Message template", name: "message_template", form: form, value: rule?.messageTemplate ?? "", hint: "Optional, e.g. {{resource}} is {{value}}% full; empty: the default message", extra: "maxlength=\"500\""))
        </fieldset><div class="actions">\(buttons)</div></form></section>
        """
    }
}
