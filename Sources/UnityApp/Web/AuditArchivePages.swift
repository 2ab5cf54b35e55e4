import Vapor

/// `/admin/audit/archives`: the archived days of credential audit events, whether their hash
/// chain is intact, and each day as a download.
enum AuditArchivePages {
    static func list(_ request: Request) async throws -> Response {
        let archive = try await AuditArchivesController.list(request)
        return try WebLayout.respond(request, title: "Credential audit archive", section: .admin) { _ in body(archive) }
    }

    static func download(_ request: Request) async throws -> Response {
        try await request.callAPI("audit.archive", body: Optional<String>.none, AuditArchivesController.day)
    }

    static func body(_ archive: AuditArchiveListDTO) -> String {
        let esc = WebHTML.esc
        let chain = archive.chainIntact
            ? WebHTML.badge("chain intact", tone: "ok")
            : WebHTML.badge("chain broken at \(archive.brokenAt ?? "?")", tone: "bad") + " <span class=\"error\">An archived day was changed after it was written.</span>"
        let rows = archive.archives.map { day -> [String] in
            ["<a href=\"/admin/audit/archives/\(esc(day.day))\">\(esc(day.day))</a>", String(day.events), "<code>\(esc(String(day.sha256.prefix(16))))…</code>"]
        }
        return """
        <h1>Credential audit archive</h1>\(AdminView.subnav("/admin/audit/archives"))
        <section class="card" aria-labelledby="archive-h"><h2 id="archive-h">Archived days</h2>
        <p class="muted">Every finished day of credential events (keys, logins, certificates, ACME, distributions) is frozen here by the daily
        <code>credential-audit-archive</code> task, each day hashed together with the day before. Audit retention never deletes a credential event before it is archived.</p>
        <p id="chain-state">\(chain)</p>
        \(WebHTML.table(headers: ["Day", "Events", "SHA-256"], rows: rows, empty: "Nothing archived yet: the first run archives yesterday."))</section>
        """
    }
}
