import Foundation

/// One certificate: its fields, where it was seen, and (operators) deploy, reveal and remove.
enum CertificateDetailView {
    static let deployFields = ["server_id", "certificate_path", "chain_path", "key_path", "owner", "certificate_mode", "key_mode",
                               "reload_command", "verify_port", "verify_server_name"]

    static func body(_ cert: CertificateDTO, servers: [(id: UUID, name: String)], deployments: [CertificateDeploymentDTO] = [],
                     reloadCommands: [String] = ReloadCommands.defaults, form: FormState, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/certificates/\(cert.id.uuidString.lowercased())"
        let facts: [(String, String)] = [
            ("State", CertificatesView.expiryBadge(cert)), ("Subject", esc(cert.subject)), ("Issuer", esc(cert.issuer)),
            ("Names", esc(cert.sans.joined(separator: ", "))), ("Serial", "<code id=\"serial\">\(esc(cert.serial))</code>"),
            ("Valid from", WebFormat.time(cert.notBefore)), ("Valid until", WebFormat.time(cert.notAfter)), ("Key", esc(cert.keyType)),
            ("SHA-256", "<code>\(esc(cert.fingerprint))</code>"), ("Source", esc(cert.source)),
            ("Private key", cert.hasPrivateKey ? "held by Unity (sealed)" : "not held"),
        ]
        let seen = cert.seenAt.isEmpty ? "<p class=\"muted empty\">Not seen on any server yet.</p>"
            : "<ul id=\"seen-at\">" + cert.seenAt.map { "<li><code>\(esc($0))</code></li>" }.joined() + "</ul>"
        var actions = ""
        if viewer.can(.operator) {
            if cert.hasPrivateKey { actions += "<a href=\"\(base)/reveal-key\">Reveal private key…</a>" }
            actions += "<form method=\"post\" action=\"\(base)/delete\" class=\"inline\" data-confirm=\"Remove \(esc(cert.name)) from the inventory?\">\(viewer.csrfField)<button type=\"submit\" class=\"danger\">Remove</button></form>"
        }
        return """
        <p><a href="/certificates">← Certificates</a></p>
        <h1>\(esc(cert.name))</h1>
        \(actions.isEmpty ? "" : "<div class=\"actions\">\(actions)</div>")
        <section class="card" aria-labelledby="fields-h"><h2 id="fields-h">Certificate</h2>
        <dl class="facts">\(facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined())</dl>
        <label for="cert-pem">PEM</label><textarea id="cert-pem" rows="4" readonly class="secret">\(esc(cert.certificatePem + cert.chainPem))</textarea></section>
        <section class="card" aria-labelledby="seen-h"><h2 id="seen-h">Where it was seen</h2>\(seen)</section>
        \(CertificateDeploymentsView.section(deployments, base: base, viewer: viewer))
        \(viewer.can(.operator) ? deployForm(cert, servers: servers, reloadCommands: reloadCommands, form: form, viewer: viewer, base: base) : "")
        """
    }

    static func deployForm(_ cert: CertificateDTO, servers: [(id: UUID, name: String)], reloadCommands: [String],
                           form: FormState, viewer: WebViewer, base: String) -> String {
        guard cert.hasPrivateKey else {
            return "<section class=\"card\"><h2>Deploy</h2><p class=\"muted\">Unity does not hold this certificate's private key; import it with the key to deploy.</p></section>"
        }
        let options = [(value: "", label: "Choose a server")] + servers.map { (value: $0.id.uuidString, label: $0.name) }
        return """
        <section class="card" aria-labelledby="deploy-h"><h2 id="deploy-h">Deploy to a server</h2>\(WebHTML.formMessage(form))
        <p class="muted">Writes the files, runs the reload command, then connects to the port and checks the served serial.</p>
        <form method="post" action="\(base)/deploy">\(viewer.csrfField)
        \(WebHTML.select("Server", name: "server_id", options: options, selected: "", form: form))
        \(WebHTML.field("Certificate path", name: "certificate_path", form: form, required: true, hint: "e.g. /etc/nginx/tls/nas.crt"))
        \(WebHTML.field("Chain path", name: "chain_path", form: form, hint: "Optional; without it the chain is appended to the certificate file"))
        \(WebHTML.field("Key path", name: "key_path", form: form, required: true, hint: "e.g. /etc/nginx/tls/nas.key"))
        \(WebHTML.field("Owner", name: "owner", form: form, hint: "Optional, e.g. root:root"))
        \(WebHTML.field("Certificate mode", name: "certificate_mode", form: form, value: "0644"))
        \(WebHTML.field("Key mode", name: "key_mode", form: form, value: "0600"))
        \(reloadField(reloadCommands, form: form, viewer: viewer))
        \(WebHTML.field("Verify port", name: "verify_port", form: form, type: "number", value: "443"))
        \(WebHTML.field("Verify server name", name: "verify_server_name", form: form, hint: "Optional; defaults to the first DNS name"))
        <button type="submit">Deploy</button></form></section>
        """
    }

    /// Operators choose one of the commands an admin allowed; admins may type any (suggested from the list).
    static func reloadField(_ commands: [String], form: FormState, viewer: WebViewer) -> String {
        guard viewer.can(.admin) else {
            let options = [(value: "", label: "Choose a reload command")] + commands.map { (value: $0, label: $0) }
            return WebHTML.select("Reload command", name: "reload_command", options: options, selected: "", form: form)
        }
        let suggestions = commands.map { "<option value=\"\(WebHTML.esc($0))\">" }.joined()
        return WebHTML.field("Reload command", name: "reload_command", form: form, required: true,
                             hint: "Runs with sh -c on the server; operators choose from the list under Settings", extra: "list=\"reload-commands\"")
            + "<datalist id=\"reload-commands\">\(suggestions)</datalist>"
    }

    static func confirmReveal(_ cert: CertificateDTO, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/certificates/\(cert.id.uuidString.lowercased())"
        return """
        <p><a href="\(base)">← \(esc(cert.name))</a></p>
        <h1>Reveal the private key of \(esc(cert.name))?</h1>
        <section class="card"><p>The key will be shown once on the next page. Revealing it is recorded in the audit log under your name.</p>
        <form method="post" action="\(base)/reveal-key">\(viewer.csrfField)
        <button type="submit" class="danger">Reveal private key</button> <a href="\(base)">Cancel</a></form></section>
        """
    }

    static func revealed(_ cert: CertificateDTO, privateKey: String) -> String {
        let esc = WebHTML.esc
        return """
        <p><a href="/certificates/\(cert.id.uuidString.lowercased())">← \(esc(cert.name))</a></p>
        <h1>Private key of \(esc(cert.name))</h1>
        <section class="card"><p class="error">Keep this secret. This page is not cached; leaving it hides the key again.</p>
        <label for="private-key">Private key</label>
        <textarea id="private-key" rows="10" readonly class="secret">\(esc(privateKey))</textarea>
        <div class="actions"><button type="button" class="secondary" data-copy="private-key" hidden>Copy private key</button></div></section>
        """
    }
}
