import Foundation
import UnityAlerts

/// A channel's edit form (URL and CA never shown) and the message templates page.
enum ChannelEditView {
    static let formFields = ["name", "url", "events", "trusted_ca_pem"]

    static func editPage(_ channel: NotificationChannelDTO, form: FormState, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/channels/\(channel.id.uuidString.lowercased())"
        let submitted = form.values["submitted"] != nil
        func flag(_ name: String, _ stored: Bool) -> Bool { submitted ? form.values[name] != nil : stored }
        let events = submitted ? Set((form.values["events"] ?? "").split(separator: ",").map(String.init)) : Set(channel.events)
        let eventBoxes = NotificationEvent.allCases.map(\.rawValue).map { WebHTML.checkbox($0, name: "events", value: $0, checked: events.contains($0)) }.joined()
        let removeCA = channel.hasTrustedCa ? WebHTML.checkbox("Remove the trusted CA", name: "remove_trusted_ca", checked: false) : ""
        return """
        <p><a href="/channels">← Notification channels</a></p>
        <h1>Edit \(esc(channel.name))</h1>
        <section class="card" aria-labelledby="channel-h"><h2 id="channel-h">\(esc(channel.kind)) channel</h2>\(WebHTML.formMessage(form))
        <p class="muted">Current URL: <code class="secret">\(esc(channel.url))</code></p>
        <form method="post" action="\(base)">\(viewer.csrfField)<input type="hidden" name="submitted" value="1">
        \(WebHTML.field("Name", name: "name", form: form, value: channel.name, required: true))
        \(WebHTML.field("New URL", name: "url", form: form, type: "password", hint: "Leave blank to keep the current URL and its secrets", extra: "autocomplete=\"off\""))
        \(WebHTML.checkbox("Enabled", name: "enabled", checked: flag("enabled", channel.enabled)))
        \(WebHTML.checkbox("Notify for every rule (otherwise only rules that name this channel)", name: "all_rules", checked: flag("all_rules", channel.allRules)))
        <fieldset><legend>Events</legend>\(eventBoxes)\(form.errors["events"].map { "<p class=\"field-error\">\(esc($0))</p>" } ?? "")</fieldset>
        \(WebHTML.checkbox("Verify TLS certificates", name: "tls_verify", checked: flag("tls_verify", channel.tlsVerify)))
        \(WebHTML.textarea("Trusted CA (PEM)", name: "trusted_ca_pem", form: form, rows: 4, keepValue: false))
        <p class="muted">\(channel.hasTrustedCa ? "A trusted CA is set; leave blank to keep it." : "No extra CA; paste one for a server signed by your own CA.")</p>\(removeCA)
        <button type="submit">Save channel</button> <a href="/channels">Cancel</a></form></section>
        """
    }

    static func templatesPage(_ templates: NotificationTemplatesDTO, form: FormState, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let editable = viewer.can(.admin)
        let customized = Set(templates.customized)
        let sections = MessageKind.allCases.map(\.rawValue).map { kind -> String in
            let stored = templates.templates[kind]
            let title = form.values["title.\(kind)"] ?? stored?.title ?? ""
            let body = form.values["body.\(kind)"] ?? stored?.body ?? ""
            let error = form.errors["templates.\(kind)"].map { "<p class=\"field-error\" id=\"f-templates-\(kind)-error\">\(esc($0))</p>" } ?? ""
            let reset = editable && customized.contains(kind) ? WebHTML.checkbox("Restore the default", name: "reset.\(kind)", checked: false) : ""
            return """
            <fieldset id="template-\(kind)"><legend>\(esc(kind))\(customized.contains(kind) ? " " + WebHTML.badge("customized", tone: "warn") : "")</legend>
            <div class="field"><label for="f-title-\(kind)">Title</label><input id="f-title-\(kind)" name="title.\(kind)" value="\(esc(title))" maxlength="300"></div>
            <div class="field"><label for="f-body-\(kind)">Body</label><textarea id="f-body-\(kind)" name="body.\(kind)" rows="4" spellcheck="false">\(esc(body))</textarea></div>
            \(error)\(reset)</fieldset>
            """
        }.joined(separator: "\n")
        let placeholders = templates.placeholders.map { "<code>{{\(esc($0))}}</code>" }.joined(separator: " ")
        return """
        <h1>Message templates</h1>\(AlertsView.subnav("/channels"))
        <section class="card" aria-labelledby="templates-h"><h2 id="templates-h">One template per event</h2>\(WebHTML.formMessage(form))
        <p class="muted">Placeholders: \(placeholders)</p>
        <form method="post" action="/channels/templates">\(viewer.csrfField)<fieldset\(editable ? "" : " disabled")>
        \(sections)
        </fieldset>\(editable ? "<button type=\"submit\">Save templates</button>" : "<p class=\"muted\">Only an admin can change templates.</p>")</form></section>
        """
    }
}
