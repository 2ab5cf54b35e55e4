import Foundation

/// Admin: registry credentials (passwords are write-only: the page shows only that one is stored).
enum RegistriesView {
    static func body(_ rows: [RegistryCredentialDTO], form: FormState, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let table = rows.map { row -> [String] in
            [esc(row.host), esc(row.username ?? "—"), row.hasPassword ? "stored" : "—", row.allowInsecureHttp ? WebHTML.badge("plain HTTP", tone: "warning") : "HTTPS",
             WebHTML.actionButton("Remove", action: "/admin/registries/\(row.id.uuidString.lowercased())/delete", viewer: viewer, style: "secondary")]
        }
        let message = form.message.map { "<p class=\"error\" role=\"alert\">\(esc($0))</p>" } ?? ""
        return """
        <h1>Registry credentials</h1>
        \(AdminView.subnav("/admin/registries"))
        <p class="muted">Update checks ask registries anonymously unless a credential for the image's registry host is stored here
        (Docker Hub: <code>docker.io</code>; a token or personal access token works as the password). See the README's "Registries".</p>
        <section class="card" aria-label="Stored credentials">\(WebHTML.table(headers: ["Registry", "User", "Password", "Transport", ""], rows: table, empty: "No credentials: every registry is asked anonymously."))</section>
        <section class="card" aria-labelledby="add-registry-h"><h2 id="add-registry-h">Add a credential</h2>\(message)
        <form method="post" action="/admin/registries">\(viewer.csrfField)
        \(WebHTML.field("Registry host", name: "host", form: form, required: true, hint: "as in image names: ghcr.io, registry.home.arpa:5000"))
        \(WebHTML.field("Username", name: "username", form: form))
        \(WebHTML.field("Password or token", name: "password", form: form, type: "password"))
        \(WebHTML.checkbox("Plain HTTP (a registry without TLS on a trusted network; with a password only on loopback)", name: "allow_insecure_http", checked: form.values["allow_insecure_http"] != nil))
        <button type="submit">Store</button></form></section>
        """
    }
}
