import Foundation

/// Notification channels (URLs only ever redacted) and the delivery log.
struct ChannelsModel: Sendable {
    var channels: [NotificationChannelDTO]
    var deliveries: [NotificationLogDTO]
    var form = FormState.empty
    /// The delivery log's filters and how many entries match them.
    var logFilter: (channel: String, outcome: String, total: Int) = ("", "", 0)
}

enum ChannelsView {
    static let formFields = ["name", "url"]

    static func body(_ model: ChannelsModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let rows = model.channels.map { channel -> [String] in
            let base = "/channels/\(channel.id.uuidString.lowercased())"
            var actions = ""
            if viewer.can(.operator) { actions += WebHTML.actionButton("Send test", action: "\(base)/test", viewer: viewer, style: "secondary") }
            if viewer.can(.admin) {
                actions += " <a href=\"\(base)\">Edit</a> "
                actions += "<form method=\"post\" action=\"\(base)/delete\" class=\"inline\" data-confirm=\"Delete the channel \(esc(channel.name))?\">\(viewer.csrfField)<button type=\"submit\" class=\"danger\">Delete</button></form>"
            }
            // Viewers get scheme and host only; the fingerprint shows whether the URL changed.
            let url = "<code class=\"secret\">\(esc(channel.url))</code> <span class=\"muted\" title=\"fingerprint\">\(esc(channel.fingerprint))</span>"
            return [esc(channel.name), esc(channel.kind), url,
                    WebHTML.badge(channel.enabled ? "enabled" : "disabled", tone: channel.enabled ? "ok" : "muted"), actions]
        }
        let log = model.deliveries.map { entry in
            [WebFormat.time(entry.finishedAt), esc(entry.channelKind), "<code class=\"secret\">\(esc(entry.channelUrl))</code>", esc(entry.event),
             String(entry.attempt), WebHTML.badge(entry.outcome, tone: entry.outcome == "delivered" ? "ok" : entry.outcome == "failed" ? "bad" : "warn"),
             esc(entry.error ?? entry.httpStatus.map { "HTTP \($0)" } ?? entry.smtpReply ?? "")]
        }
        return """
        <h1>Notification channels</h1>\(AlertsView.subnav("/channels"))
        <section class="card">\(WebHTML.table(headers: ["Name", "Kind", "URL", "State", ""], rows: rows, empty: "No channels yet."))
        <p><a href="/channels/templates">Message templates…</a></p></section>
        \(viewer.can(.admin) ? createForm(model.form, viewer: viewer) : "")
        <section class="card" aria-labelledby="log-h"><h2 id="log-h">Delivery log</h2>\(logFilters(model))
        \(WebHTML.table(headers: ["When", "Kind", "Channel", "Event", "Attempt", "Outcome", "Detail"], rows: log, empty: "Nothing sent yet."))</section>
        """
    }

    static func logFilters(_ model: ChannelsModel) -> String {
        let channels = [(value: "", label: "Every channel")] + model.channels.map { (value: $0.id.uuidString.lowercased(), label: $0.name) }
        let outcomes = [(value: "", label: "Any outcome")] + NotificationLogEntry.Outcome.allCases.map { (value: $0.rawValue, label: $0.rawValue) }
        return """
        <form method="get" action="/channels" class="filters" role="search">
        \(WebHTML.select("Channel", name: "channel_id", options: channels, selected: model.logFilter.channel, form: .empty))
        \(WebHTML.select("Outcome", name: "outcome", options: outcomes, selected: model.logFilter.outcome, form: .empty))
        <button type="submit">Filter</button></form><p class="muted" id="log-total">\(model.logFilter.total) deliveries match; the newest 50 are shown.</p>
        """
    }

    static func createForm(_ form: FormState, viewer: WebViewer) -> String {
        """
        <section class="card" aria-labelledby="add-channel-h"><h2 id="add-channel-h">Add a channel</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/channels">\(viewer.csrfField)
        \(WebHTML.field("Name", name: "name", form: form, required: true))
        \(WebHTML.field("URL", name: "url", form: form, type: "password", required: true,
                        hint: "shoutrrr-style, e.g. ntfy://ntfy.home.arpa/unity, smtp://user:pass@mail:587/?to=me@home.arpa — stored sealed, shown redacted",
                        extra: "autocomplete=\"off\""))
        <button type="submit">Add channel</button></form></section>
        """
    }
}
