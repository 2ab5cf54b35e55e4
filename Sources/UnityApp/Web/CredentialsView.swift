import Foundation

/// SSH keys: public parts, import, and revealing a private key behind a confirmation.
enum CredentialsView {
    static let formFields = ["name", "private_key", "passphrase", "comment", "type", "bits"]

    static func body(_ keys: [SSHKeyDTO], form: FormState, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let cards = keys.map { key -> String in
            let id = key.id.uuidString.lowercased()
            var reveal = " <a href=\"/credentials/ssh-keys/\(id)\">Details</a>"
            if viewer.can(.operator) {
                reveal += " · <a href=\"/credentials/ssh-keys/\(id)/reveal\">Reveal private key…</a> · <a href=\"/credentials/ssh-keys/\(id)/delete\">Delete…</a>"
            }
            return """
            <article class="card ssh-key" id="key-\(id)"><h3>\(esc(key.name)) <span class="badge">\(esc(key.type))\(key.bits.map { " \($0)" } ?? "")</span></h3>
            <dl class="facts"><dt>Fingerprint</dt><dd><code>\(esc(key.fingerprint))</code></dd>
            <dt>Last used</dt><dd>\(WebFormat.time(key.lastUsedAt))</dd></dl>
            <label for="pub-\(id)">Public key</label>
            <textarea id="pub-\(id)" rows="2" readonly class="secret">\(esc(key.publicKey))</textarea>
            <div class="actions"><button type="button" class="secondary" data-copy="pub-\(id)" hidden>Copy public key</button>\(reveal)</div>
            </article>
            """
        }.joined(separator: "\n")
        return """
        <h1>Credentials</h1>\(CertificatesView.subnav("/credentials"))
        <section aria-labelledby="keys-h"><h2 id="keys-h">SSH keys</h2>
        \(keys.isEmpty ? "<p class=\"muted empty\">No SSH keys yet.</p>" : cards)</section>
        \(viewer.can(.operator) ? generateForm(form, viewer: viewer) + importForm(form, viewer: viewer) : "")
        """
    }

    static func generateForm(_ form: FormState, viewer: WebViewer) -> String {
        let types = [("ed25519", "Ed25519 (recommended)"), ("ecdsa-p256", "ECDSA P-256"), ("ecdsa-p384", "ECDSA P-384"),
                     ("ecdsa-p521", "ECDSA P-521"), ("rsa", "RSA")]
        return """
        <section class="card" aria-labelledby="generate-h"><h2 id="generate-h">Generate a key</h2>
        <form method="post" action="/credentials/ssh-keys/generate">\(viewer.csrfField)
        \(WebHTML.field("Name", name: "gen_name", form: form, required: true))
        \(WebHTML.select("Type", name: "type", options: types.map { (value: $0.0, label: $0.1) }, selected: "ed25519", form: form))
        \(WebHTML.field("RSA bits", name: "bits", form: form, type: "number", hint: "RSA only: 2048 to 8192, default 4096"))
        \(WebHTML.field("Comment", name: "gen_comment", form: form))
        <button type="submit">Generate key</button></form></section>
        """
    }

    static func importForm(_ form: FormState, viewer: WebViewer) -> String {
        """
        <section class="card" aria-labelledby="import-h"><h2 id="import-h">Import a private key</h2>\(WebHTML.formMessage(form))
        <p class="muted">OpenSSH or PEM, optionally with its passphrase. It is stored sealed; only the public key is shown afterwards.</p>
        <form method="post" action="/credentials/ssh-keys">\(viewer.csrfField)
        \(WebHTML.field("Name", name: "name", form: form, required: true))
        \(WebHTML.textarea("Private key", name: "private_key", form: form, rows: 8, required: true, keepValue: false))
        \(WebHTML.field("Passphrase", name: "passphrase", form: form, type: "password", hint: "Only for an encrypted key"))
        \(WebHTML.field("Comment", name: "comment", form: form, hint: "Optional; defaults to the key's own comment"))
        <button type="submit">Import key</button></form></section>
        """
    }

    static func confirmReveal(_ key: SSHKeyDTO, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        return """
        <p><a href="/credentials">← Credentials</a></p>
        <h1>Reveal the private key of \(esc(key.name))?</h1>
        <section class="card"><p>The private key (<code>\(esc(key.fingerprint))</code>) will be shown once on the next page.
        Revealing it is recorded in the audit log under your name.</p>
        <form method="post" action="/credentials/ssh-keys/\(key.id.uuidString.lowercased())/reveal">\(viewer.csrfField)
        <button type="submit" class="danger">Reveal private key</button> <a href="/credentials">Cancel</a></form></section>
        """
    }

    static func revealed(_ key: SSHKeyDTO, privateKey: String) -> String {
        let esc = WebHTML.esc
        return """
        <p><a href="/credentials">← Credentials</a></p>
        <h1>Private key of \(esc(key.name))</h1>
        <section class="card"><p class="error">Keep this secret. This page is not cached; leaving it hides the key again.</p>
        <label for="private-key">Private key</label>
        <textarea id="private-key" rows="10" readonly class="secret">\(esc(privateKey))</textarea>
        <div class="actions"><button type="button" class="secondary" data-copy="private-key" hidden>Copy private key</button></div></section>
        """
    }
}
