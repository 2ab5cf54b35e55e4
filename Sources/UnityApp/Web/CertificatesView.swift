import Foundation

/// The certificate inventory: expiry badges, a state filter, import and issue forms, the internal CA.
struct CertificateListModel: Sendable {
    var certificates: [CertificateDTO]
    var state: String
    var authority: CertificateAuthorityDTO?
    var importForm: FormState = .empty
    var issueForm: FormState = .empty
}

enum CertificatesView {
    static let importFields = ["name", "certificate_pem", "chain_pem", "private_key_pem"]
    static let issueFields = ["issue_name", "dns_names", "ip_addresses", "validity_days", "key_algorithm", "issuer"]

    /// Tabs of the credentials area.
    static func subnav(_ current: String) -> String {
        let links = [("/credentials", "SSH keys"), ("/credentials/logins", "Server logins"), ("/certificates", "Certificates"),
                     ("/credentials/acme", "ACME"), ("/credentials/step-ca", "step-ca"),
                     ("/credentials/distributions", "Key distribution")]
        return "<nav aria-label=\"Credentials\" class=\"actions subnav\">" + links.map { (link) -> String in
            "<a href=\"\(link.0)\"\(link.0 == current ? " aria-current=\"page\"" : "")>\(link.1)</a>"
        }.joined(separator: " · ") + "</nav>"
    }

    static func expiryBadge(_ certificate: CertificateDTO) -> String {
        let tone = certificate.state == "expired" ? "bad" : certificate.state == "expiring" ? "warn" : "ok"
        let days = certificate.state == "expired" ? "expired \(-certificate.daysLeft) d ago" : "\(certificate.daysLeft) d left"
        return WebHTML.badge(certificate.state, tone: tone) + " <small class=\"days-left\">\(days)</small>"
    }

    static func body(_ model: CertificateListModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let options: [(value: String, label: String)] = [("", "Any state"), ("valid", "Valid"), ("expiring", "Expiring (30 days or less)"), ("expired", "Expired")]
        let filter = """
        <form method="get" action="/certificates" class="filters" role="search">
        \(WebHTML.select("State", name: "state", options: options, selected: model.state, form: .empty))
        <button type="submit">Filter</button></form>
        """
        let rows = model.certificates.map { cert -> [String] in
            ["<a href=\"/certificates/\(cert.id.uuidString.lowercased())\">\(esc(cert.name))</a><br><small class=\"muted\">\(esc(cert.sans.joined(separator: ", ")))</small>",
             expiryBadge(cert), WebFormat.time(cert.notAfter), esc(cert.source), esc(cert.issuer), cert.hasPrivateKey ? "yes" : "no"]
        }
        let operatorForms = viewer.can(.operator) ? issueForm(model.issueForm, viewer: viewer) + importForm(model.importForm, viewer: viewer) : ""
        return """
        <h1>Certificates</h1>\(subnav("/certificates"))
        <section class="card" aria-labelledby="inventory-h"><h2 id="inventory-h">Inventory</h2>\(filter)
        <p class="muted">\(model.certificates.count) certificates, soonest expiry first</p>
        \(WebHTML.table(headers: ["Name", "State", "Expires", "Source", "Issuer", "Key held"], rows: rows, empty: "No certificates match."))
        </section>
        \(authorityCard(model.authority, viewer: viewer))
        \(operatorForms)
        """
    }

    static func authorityCard(_ authority: CertificateAuthorityDTO?, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        guard let authority else {
            let create = viewer.can(.admin) ? WebHTML.actionButton("Create the internal CA", action: "/certificates/ca", viewer: viewer)
                : "<p class=\"muted\">An admin can create it; issuing from the internal CA also creates it.</p>"
            return "<section class=\"card\" id=\"internal-ca\" aria-labelledby=\"ca-h\"><h2 id=\"ca-h\">Internal CA</h2><p>Unity has no internal CA yet.</p>\(create)</section>"
        }
        return """
        <section class="card" id="internal-ca" aria-labelledby="ca-h"><h2 id="ca-h">Internal CA</h2>
        <dl class="facts"><dt>Name</dt><dd>\(esc(authority.name))</dd><dt>Subject</dt><dd>\(esc(authority.subject))</dd>
        <dt>Fingerprint</dt><dd><code>\(esc(authority.fingerprint))</code></dd><dt>Valid until</dt><dd>\(WebFormat.time(authority.notAfter))</dd></dl>
        <p><a href="/api/v1/ca/root.pem" download>Download the root certificate</a> and trust it on your devices.</p></section>
        """
    }

    static func issueForm(_ form: FormState, viewer: WebViewer) -> String {
        let issuers: [(value: String, label: String)] = [("internal_ca", "Internal CA"), ("self_signed", "Self-signed")]
        let algorithms: [(value: String, label: String)] = [("ec-p256", "ECDSA P-256 (recommended)"), ("ec-p384", "ECDSA P-384"),
                                                            ("rsa-2048", "RSA 2048"), ("rsa-3072", "RSA 3072"), ("rsa-4096", "RSA 4096")]
        return """
        <section class="card" aria-labelledby="issue-h"><h2 id="issue-h">Issue a certificate</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/certificates/issue">\(viewer.csrfField)
        \(WebHTML.select("Issuer", name: "issuer", options: issuers, selected: "internal_ca", form: form))
        \(WebHTML.field("DNS names", name: "dns_names", form: form, hint: "Separated by commas or spaces, e.g. nas.home.arpa"))
        \(WebHTML.field("IP addresses", name: "ip_addresses", form: form, hint: "Optional, e.g. 192.168.1.10"))
        \(WebHTML.field("Validity (days)", name: "validity_days", form: form, type: "number", value: "90", hint: "1 to 3650"))
        \(WebHTML.select("Key algorithm", name: "key_algorithm", options: algorithms, selected: "ec-p256", form: form))
        \(WebHTML.field("Name", name: "issue_name", form: form, hint: "Optional; defaults to the first DNS name"))
        <button type="submit">Issue certificate</button></form></section>
        """
    }

    static func importForm(_ form: FormState, viewer: WebViewer) -> String {
        """
        <section class="card" aria-labelledby="import-cert-h"><h2 id="import-cert-h">Import a certificate</h2>\(WebHTML.formMessage(form))
        <p class="muted">PEM. The private key is optional (needed to deploy); it is stored sealed and never shown again unless revealed.</p>
        <form method="post" action="/certificates">\(viewer.csrfField)
        \(WebHTML.field("Name", name: "name", form: form, hint: "Optional; defaults to the first DNS name"))
        \(WebHTML.textarea("Certificate", name: "certificate_pem", form: form, rows: 6, required: true))
        \(WebHTML.textarea("Chain", name: "chain_pem", form: form, rows: 4))
        \(WebHTML.textarea("Private key", name: "private_key_pem", form: form, rows: 4, keepValue: false))
        <button type="submit">Import certificate</button></form></section>
        """
    }
}
