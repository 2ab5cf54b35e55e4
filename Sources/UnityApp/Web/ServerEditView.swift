import Foundation

/// A server's edit form and its delete confirmation.
enum ServerEditView {
    static let formFields = ["name", "address", "port", "username", "ssh_key_id", "credential_id", "jump_server_id", "tags", "interval_seconds"]

    static func editPage(_ server: ServerDTO, choices: ServerEditChoices, form: FormState, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/servers/\(server.id.uuidString.lowercased())"
        func options(_ items: [(id: UUID, name: String)], current: UUID?, none: String) -> [(value: String, label: String)] {
            let keep = current.map { id in (value: "", label: "Keep: " + (items.first { $0.id == id }?.name ?? "current")) } ?? (value: "", label: none)
            // A set reference can be removed ("none" is sent as null).
            let remove = current == nil ? [] : [(value: "none", label: "Remove: " + none.lowercased())]
            return [keep] + remove + items.map { (value: $0.id.uuidString.lowercased(), label: $0.name) }
        }
        // After a failed submit the boxes show what was sent, not what is stored.
        let submitted = form.values["submitted"] != nil
        let enabled = submitted ? form.values["enabled"] != nil : server.enabled
        let sudo = submitted ? form.values["use_sudo"] != nil : server.useSudo
        return """
        <p><a href="\(base)">← \(esc(server.name))</a></p>
        <h1>Edit \(esc(server.name))</h1>
        <section class="card" aria-labelledby="edit-server-h"><h2 id="edit-server-h">Connection and collection</h2>\(WebHTML.formMessage(form))
        <form method="post" action="\(base)/edit">\(viewer.csrfField)<input type="hidden" name="submitted" value="1">
        <div class="grid">
        \(WebHTML.field("Name", name: "name", form: form, value: server.name, required: true))
        \(WebHTML.field("Address", name: "address", form: form, value: server.address, required: true, hint: "Host name or IP address"))
        \(WebHTML.field("SSH port", name: "port", form: form, type: "number", value: String(server.port), extra: "min=\"1\" max=\"65535\""))
        \(WebHTML.field("Username", name: "username", form: form, value: server.username, required: true))
        \(WebHTML.select("SSH key", name: "ssh_key_id", options: options(choices.keys, current: server.sshKeyId, none: "No key"), selected: "", form: form))
        \(WebHTML.select("Login", name: "credential_id", options: options(choices.logins, current: server.credentialId, none: "No login"), selected: "", form: form))
        \(WebHTML.select("Jump server", name: "jump_server_id", options: options(choices.servers, current: server.jumpServerId, none: "Direct connection"), selected: "", form: form))
        \(WebHTML.field("Tags", name: "tags", form: form, value: server.tags.joined(separator: ", "), hint: "Comma-separated"))
        \(WebHTML.field("Collect every (seconds)", name: "interval_seconds", form: form, type: "number", value: String(server.intervalSeconds), extra: "min=\"30\" max=\"86400\""))
        </div>
        \(WebHTML.checkbox("Enabled (collected on schedule)", name: "enabled", checked: enabled))
        \(WebHTML.checkbox("Use sudo for privileged commands", name: "use_sudo", checked: sudo))
        <p class="muted">A key, login or jump server once set can be replaced here but not removed.</p>
        <button type="submit">Save server</button> <a href="\(base)">Cancel</a></form></section>
        <section class="card" aria-labelledby="danger-h"><h2 id="danger-h">Delete</h2>
        <p><a href="\(base)/delete" class="danger">Delete this server…</a></p></section>
        """
    }

    static func confirmDelete(_ server: ServerDTO, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/servers/\(server.id.uuidString.lowercased())"
        return """
        <p><a href="\(base)">← \(esc(server.name))</a></p>
        <h1>Delete \(esc(server.name))?</h1>
        <section class="card"><p>Unity stops watching <code>\(esc(server.username))@\(esc(server.address)):\(server.port)</code> and forgets its history,
        snapshot, databases, certificate sightings and key installations. Nothing on the server itself changes.</p>
        <form method="post" action="\(base)/delete">\(viewer.csrfField)
        <button type="submit" class="danger">Delete server</button> <a href="\(base)">Cancel</a></form></section>
        """
    }
}
