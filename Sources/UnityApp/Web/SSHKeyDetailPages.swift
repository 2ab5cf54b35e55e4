import Fluent
import Vapor

/// `/credentials/ssh-keys/:id`: one key with where it is installed and when it was last used,
/// and its deletion behind a confirmation (refused while a server or login uses it).
enum SSHKeyDetailPages {
    static func detail(_ request: Request) async throws -> Response {
        let key = try await SSHKeysController.get(request)
        let servers = try await MonitoredServer.query(on: request.db).filter(\.$id ~~ key.installedOn).sort(\.$name).all()
            .compactMap { row in row.id.map { (id: $0, name: row.name) } }
        return try WebLayout.respond(request, title: key.name, section: .credentials) { SSHKeyDetailView.detail(key, servers: servers, viewer: $0) }
    }

    static func confirmDelete(_ request: Request) async throws -> Response {
        let key = try await SSHKeysController.get(request)
        return try WebLayout.respond(request, title: "Delete \(key.name)", section: .credentials) { SSHKeyDetailView.confirmDelete(key, viewer: $0) }
    }

    static func delete(_ request: Request) async throws -> Response {
        let key = try await SSHKeysController.get(request)
        let back = WebActions.path("/credentials/ssh-keys", key.id)
        do {
            _ = try await request.callAPI("ssh_keys.delete", body: Optional<String>.none, SSHKeysController.delete)
            return WebFlash.redirect(request, to: "/credentials", notice: "Deleted the key \(key.name).")
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            return WebFlash.redirect(request, to: back, notice: mapped.message, isError: true)
        }
    }
}

enum SSHKeyDetailView {
    static func detail(_ key: SSHKeyDTO, servers: [(id: UUID, name: String)], viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/credentials/ssh-keys/\(key.id.uuidString.lowercased())"
        let installed = servers.map { ["<a href=\"/servers/\($0.id.uuidString.lowercased())\">\(esc($0.name))</a>"] }
        let actions = viewer.can(.operator)
            ? "<div class=\"actions\"><a href=\"\(base)/reveal\">Reveal private key…</a> · <a href=\"\(base)/delete\">Delete…</a></div>" : ""
        return """
        <p><a href="/credentials">← SSH keys</a></p>
        <h1>\(esc(key.name)) <span class="badge">\(esc(key.type))\(key.bits.map { " \($0)" } ?? "")</span></h1>\(actions)
        <section class="card"><dl class="facts">
        <dt>Fingerprint</dt><dd><code id="key-fingerprint">\(esc(key.fingerprint))</code></dd>
        <dt>Comment</dt><dd>\(esc(key.comment.isEmpty ? "—" : key.comment))</dd>
        <dt>Tags</dt><dd>\(esc(key.tags.isEmpty ? "—" : key.tags.joined(separator: ", ")))</dd>
        <dt>Last used</dt><dd id="key-last-used">\(WebFormat.time(key.lastUsedAt))</dd>
        <dt>Added</dt><dd>\(WebFormat.time(key.createdAt))</dd></dl>
        <label for="pub-key">Public key</label><textarea id="pub-key" rows="3" readonly class="secret">\(esc(key.publicKey))</textarea></section>
        <section class="card" aria-labelledby="installed-h"><h2 id="installed-h">Installed on / used by</h2>
        \(WebHTML.table(headers: ["Server"], rows: installed, empty: "No server uses this key yet."))</section>
        """
    }

    static func confirmDelete(_ key: SSHKeyDTO, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/credentials/ssh-keys/\(key.id.uuidString.lowercased())"
        return """
        <p><a href="\(base)">← \(esc(key.name))</a></p>
        <h1>Delete the key \(esc(key.name))?</h1>
        <section class="card"><p>Unity forgets the private key <code>\(esc(key.fingerprint))</code>. Copies installed in servers' authorized_keys stay
        there (revoke them with a key distribution job first). A key a server or login still uses cannot be deleted.</p>
        <form method="post" action="\(base)/delete">\(viewer.csrfField)
        <button type="submit" class="danger">Delete key</button> <a href="\(base)">Cancel</a></form></section>
        """
    }
}
