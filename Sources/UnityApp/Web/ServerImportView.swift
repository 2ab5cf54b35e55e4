import Foundation
import UnityParsers

/// `/servers/import`: paste an ssh config or Ansible inventory, preview, tick, import.
enum ServerImportView {
    static let formFields = ["format", "text"]

    static func page(form: FormState, preview: ImportPreviewDTO?, keys: [(id: UUID, name: String)], viewer: WebViewer) -> String {
        let formats = [(value: "ssh_config", label: "ssh config (~/.ssh/config)"), (value: "ansible", label: "Ansible inventory (INI or YAML)")]
        return """
        <p><a href="/servers">← Servers</a></p>
        <h1>Import servers</h1>
        <section class="card" aria-labelledby="import-h"><h2 id="import-h">Paste</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/servers/import/preview">\(viewer.csrfField)
        \(WebHTML.select("Format", name: "format", options: formats, selected: "ssh_config", form: form))
        \(WebHTML.textarea("Text", name: "text", form: form, rows: 12, required: true))
        <button type="submit">Preview</button></form></section>
        \(preview.map { previewSection($0, form: form, keys: keys, viewer: viewer) } ?? "")
        """
    }

    static func previewSection(_ preview: ImportPreviewDTO, form: FormState, keys: [(id: UUID, name: String)], viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let existing = Set(preview.existing)
        let rows = preview.servers.map { server -> [String] in
            let exists = existing.contains(server.name)
            let box = exists ? WebHTML.badge("exists", tone: "muted")
                : "<input type=\"checkbox\" name=\"pick\" value=\"\(esc(server.name))\" checked aria-label=\"Import \(esc(server.name))\">"
            return [box, esc(server.name), "<code>\(esc(server.address))</code>", server.port.map(String.init) ?? "22",
                    esc(server.username ?? "—"), esc(server.proxyJump ?? ""), esc(server.identityFile ?? ""), esc(server.tags.joined(separator: ", "))]
        }
        let warnings = preview.warnings.isEmpty ? "" : "<ul class=\"muted\" id=\"import-warnings\">" + preview.warnings.map { "<li>\(esc($0))</li>" }.joined() + "</ul>"
        let keyOptions = [(value: "", label: "No key (agent or login later)")] + keys.map { (value: $0.id.uuidString.lowercased(), label: $0.name) }
        return """
        <section class="card" aria-labelledby="preview-h" id="import-preview"><h2 id="preview-h">Preview: \(preview.servers.count) servers</h2>\(warnings)
        <form method="post" action="/servers/import">\(viewer.csrfField)
        <input type="hidden" name="format" value="\(esc(form.value("format")))"><input type="hidden" name="text" value="\(esc(form.value("text")))">
        \(WebHTML.table(headers: ["Import", "Name", "Address", "Port", "User", "Jump", "Identity file", "Tags"], rows: rows, empty: "No servers found in the text."))
        <p class="muted">Servers whose name already exists are skipped. Jump hosts and identity files are shown for reference; set them per server afterwards.</p>
        <div class="grid">
        \(WebHTML.field("User name when none is given", name: "username", form: .empty))
        \(WebHTML.select("SSH key for all", name: "ssh_key_id", options: keyOptions, selected: "", form: .empty))
        \(WebHTML.field("Extra tags", name: "tags", form: .empty, hint: "Comma-separated, added to each"))
        </div>
        <button type="submit">Import the ticked servers</button></form></section>
        """
    }
}
