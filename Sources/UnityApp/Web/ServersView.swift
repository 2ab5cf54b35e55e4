import Foundation

/// The server list with its tag filter and the "add server" form.
struct ServerListModel: Sendable {
    var servers: [ServerDTO]
    var allTags: [String]
    var selectedTag: String?
    /// SSH keys to choose from when adding a server: (id, name).
    var sshKeys: [(id: UUID, name: String)]
    var form = FormState.empty
    var selectedStatus = ""
    var selectedEnabled = ""

    var isFiltered: Bool { selectedTag != nil || !selectedStatus.isEmpty || !selectedEnabled.isEmpty }
}

enum ServersView {
    static let formFields = ["name", "address", "port", "username", "ssh_key_id", "tags", "host_key", "interval_seconds"]

    static func body(_ model: ServerListModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let bulk = viewer.can(.operator)
        let rows = model.servers.map { server in
            (bulk ? ["<input type=\"checkbox\" name=\"ids\" value=\"\(server.id.uuidString.lowercased())\" form=\"servers-bulk\" aria-label=\"Select \(esc(server.name))\">"] : []) +
            ["<a href=\"/servers/\(server.id.uuidString.lowercased())\">\(esc(server.name))</a>",
             "<code>\(esc(server.username))@\(esc(server.address)):\(server.port)</code>",
             statusBadge(server.status.rawValue) + (server.enabled ? "" : " " + WebHTML.badge("disabled", tone: "muted")),
             server.tags.map { "<a href=\"/servers?tag=\(urlEncode($0))\">\(esc($0))</a>" }.joined(separator: ", "),
             WebFormat.time(server.lastSeenAt)]
        }
        let tagOptions = [("", "All tags")] + model.allTags.map { ($0, $0) }
        let filter = """
        <form method="get" action="/servers" class="filters" role="search">
        \(WebHTML.select("Tag", name: "tag", options: tagOptions.map { (value: $0.0, label: $0.1) }, selected: model.selectedTag ?? "", form: .empty))
        \(WebHTML.select("Status", name: "status", options: [(value: "", label: "Any status")] + MonitoredServer.Status.allCases.map { (value: $0.rawValue, label: $0.rawValue.replacingOccurrences(of: "_", with: " ")) },
                         selected: model.selectedStatus, form: .empty))
        \(WebHTML.select("Collection", name: "enabled", options: [(value: "", label: "Enabled or not"), (value: "true", label: "Enabled"), (value: "false", label: "Disabled")],
                         selected: model.selectedEnabled, form: .empty))
        <button type="submit">Filter</button></form>
        """
        return """
        <h1>Servers</h1>\(bulk ? fleetActions(viewer) : "")
        <section class="card" aria-label="Server list">\(filter)
        \(WebHTML.table(headers: (bulk ? ["Select"] : []) + ["Name", "Address", "Status", "Tags", "Last seen"], rows: rows,
                        empty: !model.isFiltered ? "No servers yet." : model.selectedStatus.isEmpty && model.selectedEnabled.isEmpty ? "No server has this tag." : "No server matches these filters."))
        \(bulk && !rows.isEmpty ? bulkForm(viewer) : "")
        </section>
        \(viewer.can(.operator) ? addForm(model, viewer: viewer) : "")
        """
    }

    /// Collect every enabled server now, or import many from an ssh config / inventory.
    static func fleetActions(_ viewer: WebViewer) -> String {
        "<div class=\"actions\">" + WebHTML.actionButton("Collect all servers now", action: "/servers/collect", viewer: viewer)
            + " <a href=\"/servers/import\">Import from ssh config or Ansible…</a></div>"
    }

    /// The ticked rows' checkboxes belong to this form through their `form` attribute.
    static func bulkForm(_ viewer: WebViewer) -> String {
        """
        <form method="post" action="/servers/bulk-enabled" id="servers-bulk" class="actions">\(viewer.csrfField)
        <span class="muted">Ticked servers:</span>
        <button type="submit" name="enabled" value="true" class="secondary">Enable</button>
        <button type="submit" name="enabled" value="false" class="secondary">Disable</button></form>
        """
    }

    static func addForm(_ model: ServerListModel, viewer: WebViewer) -> String {
        let form = model.form
        let keyOptions = [(value: "", label: "No key (agent or credential later)")] + model.sshKeys.map { (value: $0.id.uuidString.lowercased(), label: $0.name) }
        return """
        <section class="card" aria-labelledby="add-server-h"><h2 id="add-server-h">Add a server</h2>
        \(WebHTML.formMessage(form))
        <form method="post" action="/servers">\(viewer.csrfField)
        <div class="grid">
        \(WebHTML.field("Name", name: "name", form: form, required: true))
        \(WebHTML.field("Address", name: "address", form: form, required: true, hint: "Host name or IP address"))
        \(WebHTML.field("SSH port", name: "port", form: form, type: "number", value: "22", extra: "min=\"1\" max=\"65535\""))
        \(WebHTML.field("Username", name: "username", form: form, required: true))
        \(WebHTML.select("SSH key", name: "ssh_key_id", options: keyOptions, selected: "", form: form))
        \(WebHTML.field("Tags", name: "tags", form: form, hint: "Comma-separated"))
        \(WebHTML.field("Collect every (seconds)", name: "interval_seconds", form: form, type: "number", value: "300", extra: "min=\"30\" max=\"86400\""))
        </div>
        \(WebHTML.field("Known host key (optional)", name: "host_key", form: form, hint: "ssh-ed25519 AAAA… — otherwise the first key seen is trusted"))
        \(WebHTML.checkbox("Use sudo for privileged commands", name: "use_sudo", checked: form.values["use_sudo"] != nil))
        <button type="submit">Add server</button></form></section>
        """
    }

    static func statusBadge(_ status: String) -> String {
        let tone = switch status {
        case "online": "ok"
        case "offline", "error", "host_key_changed": "bad"
        default: "muted"
        }
        return WebHTML.badge(status.replacingOccurrences(of: "_", with: " "), tone: tone)
    }

    /// A query value, percent-encoded and safe inside an HTML attribute.
    static func urlEncode(_ text: String) -> String {
        WebPage.escape(text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "?", "+", "#"])) ?? "")
    }
}
