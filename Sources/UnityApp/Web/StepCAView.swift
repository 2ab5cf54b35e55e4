import Foundation

/// The step-ca page: authorities, the sign forms, and SSH certificates with their lines to copy.
struct StepCAListModel: Sendable {
    var authorities: [StepCAAuthorityDTO]
    var certificates: [SSHCertificateDTO]
    var keys: [(id: UUID, name: String)]
    var forms: StepCAPages.Forms
}

enum StepCAView {
    static func body(_ model: StepCAListModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let names = Dictionary(model.authorities.map { ($0.id, $0.name) }) { first, _ in first }
        let authorityRows = model.authorities.map { authority -> [String] in
            let remove = viewer.can(.admin)
                ? WebHTML.actionButton("Forget", action: "/credentials/step-ca/\(authority.id.uuidString.lowercased())/delete", viewer: viewer, style: "secondary")
                : ""
            return [esc(authority.name), "<code>\(esc(authority.url))</code>", "<code>\(esc(String(authority.rootFingerprint.prefix(16))))…</code>",
                    esc(authority.provisionerName), esc(authority.provisionerKeyForm.replacingOccurrences(of: "_", with: " ")),
                    authority.acmeDirectoryUrl.map { "<code>\(esc($0))</code>" } ?? "—", remove]
        }
        let certificateRows = model.certificates.map { certificate -> [String] in
            [esc(names[certificate.authorityId] ?? "?"), esc(certificate.certType), esc(certificate.keyId), esc(certificate.principals.joined(separator: ", ")),
             esc(certificate.serial), WebFormat.time(certificate.validBefore),
             "<textarea rows=\"2\" readonly class=\"secret\" aria-label=\"Certificate of \(esc(certificate.keyId))\">\(esc(certificate.certificate))</textarea>"]
        }
        let signing = viewer.can(.operator) && !model.authorities.isEmpty
        return """
        <h1>step-ca</h1>\(CertificatesView.subnav("/credentials/step-ca"))
        <section class="card" aria-labelledby="authorities-h"><h2 id="authorities-h">Authorities</h2>
        <p class="muted">Unity signs through a JWK provisioner with one-time tokens and trusts only the root pinned by its fingerprint. A CA with an ACME provisioner can also back an <a href="/credentials/acme">ACME account</a>.</p>
        \(WebHTML.table(headers: ["Name", "URL", "Root", "Provisioner", "Key", "ACME directory", ""], rows: authorityRows, empty: "No step-ca yet."))</section>
        \(signing ? x509Form(model, viewer: viewer) + sshForm(model, viewer: viewer) : "")
        <section class="card" aria-labelledby="ssh-certificates-h" id="ssh-certificates"><h2 id="ssh-certificates-h">SSH certificates</h2>
        \(WebHTML.table(headers: ["CA", "Type", "Key id", "Principals", "Serial", "Valid until", "Certificate"], rows: certificateRows, empty: "No SSH certificates yet."))</section>
        \(viewer.can(.admin) ? authorityForm(model.forms.authority, viewer: viewer) : "")
        """
    }

    static func authorities(_ model: StepCAListModel) -> [(value: String, label: String)] {
        model.authorities.map { (value: $0.id.uuidString, label: $0.name) }
    }

    static func x509Form(_ model: StepCAListModel, viewer: WebViewer) -> String {
        let form = model.forms.x509
        return """
        <section class="card" aria-labelledby="x509-h"><h2 id="x509-h">Sign a TLS certificate</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/credentials/step-ca/x509">\(viewer.csrfField)
        \(WebHTML.select("step-ca", name: "authority_id", options: authorities(model), selected: "", form: form))
        \(WebHTML.field("Names", name: "names", form: form, required: true, hint: "DNS names and IP addresses, comma or space separated"))
        \(WebHTML.field("Inventory name", name: "name", form: form, hint: "Optional; the first name otherwise"))
        <button type="submit">Sign</button></form></section>
        """
    }

    static func sshForm(_ model: StepCAListModel, viewer: WebViewer) -> String {
        let form = model.forms.ssh
        let keys = [(value: "", label: "— paste a public key instead")] + model.keys.map { (value: $0.id.uuidString, label: $0.name) }
        let types: [(value: String, label: String)] = [("user", "User certificate"), ("host", "Host certificate")]
        return """
        <section class="card" aria-labelledby="sshsign-h"><h2 id="sshsign-h">Sign an SSH certificate</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/credentials/step-ca/ssh">\(viewer.csrfField)
        \(WebHTML.select("step-ca", name: "authority_id", options: authorities(model), selected: "", form: form))
        \(WebHTML.select("Stored key", name: "ssh_key_id", options: keys, selected: "", form: form))
        \(WebHTML.textarea("Public key", name: "public_key", form: form, rows: 2))
        \(WebHTML.select("Type", name: "cert_type", options: types, selected: "user", form: form))
        \(WebHTML.field("Key id", name: "key_id", form: form, required: true, hint: "Shown in sshd's log, e.g. alice@laptop"))
        \(WebHTML.field("Principals", name: "principals", form: form, required: true, hint: "User names (user) or host names (host)"))
        \(WebHTML.field("Valid for (hours)", name: "valid_for_hours", form: form, type: "number", hint: "step-ca's default when empty: 16 h user, 30 d host"))
        <button type="submit">Sign</button></form></section>
        """
    }

    static func authorityForm(_ form: FormState, viewer: WebViewer) -> String {
        """
        <section class="card" aria-labelledby="addca-h"><h2 id="addca-h">Add a step-ca</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/credentials/step-ca">\(viewer.csrfField)
        \(WebHTML.field("Name", name: "name", form: form, required: true))
        \(WebHTML.field("URL", name: "url", form: form, type: "url", required: true, hint: "e.g. https://ca.home.arpa:9000"))
        \(WebHTML.field("Root fingerprint", name: "root_fingerprint", form: form, required: true, hint: "step certificate fingerprint root_ca.crt"))
        \(WebHTML.field("JWK provisioner name", name: "provisioner_name", form: form, required: true))
        \(WebHTML.textarea("Provisioner private JWK", name: "provisioner_jwk", form: form, rows: 3, keepValue: false))
        <p class="muted">Or, as in step-ca's ca.json, the provisioner's <code>encryptedKey</code> and its password. Both are stored sealed and never shown again.</p>
        \(WebHTML.textarea("Encrypted key (JWE)", name: "encrypted_key", form: form, rows: 3, keepValue: false))
        \(WebHTML.field("Password", name: "password", form: form, type: "password"))
        \(WebHTML.field("ACME provisioner", name: "acme_provisioner", form: form, hint: "Optional: its name, to use the CA for ACME accounts"))
        <button type="submit">Add step-ca</button></form></section>
        """
    }
}
