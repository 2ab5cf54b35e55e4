import Foundation

/// The server page's sections for databases, certificates seen there, and maintenance mode.
struct ServerExtras: Sendable {
    var databases: [MonitoredDatabaseDTO] = []
    var logins: [(id: UUID, name: String)] = []
    var certificates: [CertificateDTO] = []
    var inMaintenance = false
    var globalMaintenance = false
    var databaseForm: FormState = .empty
    /// The server's container host, when containers are enabled on it, and how many containers it runs.
    var containerHost: ContainerHostDTO?
    var containerCounts: [String: Int] = [:]
}

enum ServerExtrasView {
    static let databaseFields = ["engine", "host", "port", "database_name", "username", "credential_id"]

    static func sections(_ extras: ServerExtras, viewer: WebViewer, base: String) -> String {
        maintenance(extras, viewer: viewer, base: base) + ServerContainersSection.render(extras, viewer: viewer, base: base)
            + databases(extras, viewer: viewer, base: base) + certificates(extras, viewer: viewer, base: base)
    }

    static func maintenance(_ extras: ServerExtras, viewer: WebViewer, base: String) -> String {
        let state = extras.globalMaintenance ? "Global maintenance mode is on: notifications are held back for every server."
            : extras.inMaintenance ? "This server is in maintenance: its notifications are held back." : "Not in maintenance."
        let toggle = viewer.can(.operator)
            ? WebHTML.actionButton(extras.inMaintenance ? "End maintenance" : "Start maintenance", action: "\(base)/maintenance", viewer: viewer,
                                   style: "secondary", hidden: ["on": extras.inMaintenance ? "false" : "true"]) : ""
        return """
        <section class="card" id="maintenance" aria-labelledby="maintenance-h"><h2 id="maintenance-h">Maintenance \(extras.inMaintenance || extras.globalMaintenance ? WebHTML.badge("on", tone: "warn") : "")</h2>
        <p>\(state)</p>\(toggle)</section>
        """
    }

    static func databases(_ extras: ServerExtras, viewer: WebViewer, base: String) -> String {
        let esc = WebHTML.esc
        let rows = extras.databases.map { db -> [String] in
            let address = [db.host, db.port.map(String.init)].compactMap { $0 }.joined(separator: ":")
            let remove = viewer.can(.operator) ? "<form method=\"post\" action=\"\(base)/databases/\(db.id.uuidString.lowercased())/delete\" class=\"inline\" data-confirm=\"Stop probing this database?\">\(viewer.csrfField)<button type=\"submit\" class=\"secondary\">Remove</button></form>" : ""
            let state = db.lastError.map { "<span class=\"error\">\(esc($0))</span>" } ?? (db.probedAt == nil ? "<span class=\"muted\">not probed yet</span>" : WebHTML.badge("up", tone: "ok"))
            return [esc(db.engine), "<code>\(esc(address.isEmpty ? "default" : address))</code>\(db.databaseName.map { " / " + esc($0) } ?? "")",
                    esc(db.version ?? "—"), db.connections.map(String.init) ?? "—", db.sizeBytes.map { WebFormat.bytes($0) } ?? "—",
                    state, WebFormat.time(db.probedAt), remove]
        }
        return """
        <section class="card" id="databases" aria-labelledby="databases-h"><h2 id="databases-h">Databases</h2>
        \(WebHTML.table(headers: ["Engine", "Address", "Version", "Connections", "Size", "State", "Probed", ""], rows: rows, empty: "No databases probed on this server."))
        \(viewer.can(.operator) ? databaseForm(extras, viewer: viewer, base: base) : "")</section>
        """
    }

    static func databaseForm(_ extras: ServerExtras, viewer: WebViewer, base: String) -> String {
        let form = extras.databaseForm
        let engines: [(value: String, label: String)] = [("postgresql", "PostgreSQL"), ("mysql", "MySQL"), ("mariadb", "MariaDB"), ("redis", "Redis")]
        let logins = [(value: "", label: "None (user below, trust/peer)")] + extras.logins.map { (value: $0.id.uuidString, label: $0.name) }
        return """
        <h3 id="add-database-h">Probe a database</h3>\(WebHTML.formMessage(form))
        <form method="post" action="\(base)/databases" aria-labelledby="add-database-h">\(viewer.csrfField)
        \(WebHTML.select("Engine", name: "engine", options: engines, selected: "postgresql", form: form))
        \(WebHTML.field("Host", name: "host", form: form, hint: "Optional; as seen from the server, e.g. 127.0.0.1"))
        \(WebHTML.field("Port", name: "port", form: form, type: "number", hint: "Optional; the engine's default"))
        \(WebHTML.field("Database", name: "database_name", form: form, hint: "Optional"))
        \(WebHTML.field("User", name: "username", form: form, hint: "For trust/peer authentication; a login's user wins"))
        \(WebHTML.select("Login", name: "credential_id", options: logins, selected: "", form: form))
        <button type="submit">Add database</button></form>
        """
    }

    static func certificates(_ extras: ServerExtras, viewer: WebViewer, base: String) -> String {
        let esc = WebHTML.esc
        let rows = extras.certificates.map { cert -> [String] in
            ["<a href=\"/certificates/\(cert.id.uuidString.lowercased())\">\(esc(cert.name))</a>", CertificatesView.expiryBadge(cert),
             esc(cert.seenAt.joined(separator: ", "))]
        }
        let discover = viewer.can(.operator)
            ? """
            <form method="post" action="\(base)/certificates/discover" class="discover">\(viewer.csrfField)<div class="grid">
            \(WebHTML.field("TLS ports", name: "ports", form: .empty, hint: "Comma-separated; empty: 443, 8443, 6443, 9443"))
            \(WebHTML.field("Paths", name: "paths", form: .empty, hint: "Comma-separated directories or files; empty: the usual places"))
            </div><button type="submit" class="secondary">Discover certificates</button></form>
            """ : ""
        return """
        <section class="card" id="server-certificates" aria-labelledby="server-certs-h"><h2 id="server-certs-h">Certificates seen here</h2>
        <p class="muted">Served on TLS ports 443, 8443, 6443, 9443, or kept under /etc/letsencrypt, /etc/nginx, /etc/haproxy and similar.</p>
        \(WebHTML.table(headers: ["Certificate", "State", "Where"], rows: rows, empty: "None seen yet."))\(discover)</section>
        """
    }
}
