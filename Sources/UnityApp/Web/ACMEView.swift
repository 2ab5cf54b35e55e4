import Foundation
import UnityACME

/// The ACME page: accounts and the certificates kept issued from them, with the forms to add each.
struct ACMEListModel: Sendable {
    var accounts: [ACMEAccountDTO]
    var orders: [ACMECertificateDTO]
    /// step-ca authorities with an ACME provisioner, offered as the account's CA.
    var stepCAs: [(id: UUID, name: String)] = []
    /// Servers whose web server can answer HTTP-01 from its webroot.
    var servers: [(id: UUID, name: String)] = []
    var accountForm: FormState = .empty
    var orderForm: FormState = .empty
}

enum ACMEView {
    static func attemptBadge(_ attempt: ACMEAttemptDTO?) -> String {
        guard let attempt else { return WebHTML.badge("never tried", tone: "muted") }
        if attempt.outcome == "running" { return WebHTML.badge(attempt.phase.replacingOccurrences(of: "_", with: " ") + "…", tone: "muted") }
        return WebHTML.badge(attempt.outcome, tone: attempt.outcome == "succeeded" ? "ok" : "bad")
    }

    static func statusBadge(_ status: String) -> String {
        WebHTML.badge(status, tone: ["valid": "ok", "pending": "muted", "revoked": "muted"][status] ?? "bad")
    }

    static func body(_ model: ACMEListModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let accountNames = Dictionary(model.accounts.map { ($0.id, $0.name) }) { first, _ in first }
        let accountRows = model.accounts.map { account -> [String] in
            let remove = viewer.can(.admin)
                ? WebHTML.actionButton("Remove", action: "/credentials/acme/accounts/\(account.id.uuidString.lowercased())/delete", viewer: viewer, style: "secondary")
                : ""
            return [esc(account.name), esc(account.preset), "<code>\(esc(account.directoryUrl))</code>", esc(account.email ?? "—"),
                    account.eabKid == nil ? "—" : "EAB " + esc(account.eabKid ?? ""), statusBadge(account.status), remove]
        }
        let orderRows = model.orders.map { order -> [String] in
            let link = "<a href=\"/credentials/acme/\(order.id.uuidString.lowercased())\">\(esc(order.names.joined(separator: ", ")))</a>"
            return [link, esc(accountNames[order.accountId] ?? "?"), esc(order.challenge), statusBadge(order.status),
                    attemptBadge(order.attempt), WebFormat.time(order.nextRenewalAt)]
        }
        return """
        <h1>ACME</h1>\(CertificatesView.subnav("/credentials/acme"))
        <section class="card" aria-labelledby="orders-h"><h2 id="orders-h">Certificates kept issued</h2>
        <p class="muted">Renewed daily when one third of the lifetime is left or the CA's renewal window opens; renewals are deployed where the certificate was deployed.</p>
        \(WebHTML.table(headers: ["Names", "Account", "Challenge", "State", "Last attempt", "Next renewal"], rows: orderRows, empty: "No ACME certificates yet."))</section>
        \(viewer.can(.operator) && !model.accounts.isEmpty ? orderForm(model, viewer: viewer) : "")
        <section class="card" aria-labelledby="accounts-h"><h2 id="accounts-h">Accounts</h2>
        \(WebHTML.table(headers: ["Name", "Preset", "Directory", "Email", "EAB", "Status", ""], rows: accountRows, empty: "No ACME accounts yet."))</section>
        \(viewer.can(.admin) ? accountForm(model.accountForm, stepCAs: model.stepCAs, viewer: viewer) : "")
        """
    }

    static func accountForm(_ form: FormState, stepCAs: [(id: UUID, name: String)], viewer: WebViewer) -> String {
        let stepCAChoice = stepCAs.isEmpty ? "" : WebHTML.select("Or a step-ca", name: "step_ca_id",
            options: [(value: "", label: "—")] + stepCAs.map { (value: $0.id.uuidString, label: $0.name) }, selected: "", form: form)
        let presets: [(value: String, label: String)] = [("letsencrypt", "Let's Encrypt"), ("letsencrypt-staging", "Let's Encrypt (staging)"),
                                                         ("zerossl", "ZeroSSL (needs EAB)"), ("custom", "Custom directory (step-ca, Pebble, …)")]
        return """
        <section class="card" aria-labelledby="account-h"><h2 id="account-h">Add an account</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/credentials/acme/accounts">\(viewer.csrfField)
        \(WebHTML.field("Name", name: "name", form: form, required: true))
        \(WebHTML.select("CA", name: "preset", options: presets, selected: "letsencrypt-staging", form: form))
        \(stepCAChoice)
        \(WebHTML.field("Directory URL", name: "directory_url", form: form, type: "url", hint: "Only for a custom directory"))
        \(WebHTML.field("Contact email", name: "email", form: form, type: "email"))
        \(WebHTML.field("EAB key id", name: "eab_kid", form: form, hint: "ZeroSSL and other CAs with External Account Binding"))
        \(WebHTML.field("EAB HMAC key", name: "eab_hmac_key", form: form, type: "password", hint: "Stored sealed, never shown again"))
        \(WebHTML.textarea("Trusted roots (PEM)", name: "trusted_roots_pem", form: form, rows: 4))
        \(WebHTML.checkbox("I agree to the CA's terms of service", name: "terms_of_service_agreed", checked: form.value("terms_of_service_agreed") == "on"))
        <button type="submit">Register account</button></form></section>
        """
    }

    static func orderForm(_ model: ACMEListModel, viewer: WebViewer) -> String {
        let form = model.orderForm
        let accounts = model.accounts.map { (value: $0.id.uuidString, label: $0.name) }
        let challenges: [(value: String, label: String)] = [("http-01", "HTTP-01 (Unity answers on a port)"), ("dns-01", "DNS-01 (needed for wildcards)")]
        let providers = ACMESolverFactory.dnsProviders.map { (value: $0, label: $0) }
        let keyTypes = CertificateKeyType.allCases.map { (value: $0.rawValue, label: $0.rawValue) }
        return """
        <section class="card" aria-labelledby="order-h"><h2 id="order-h">Issue a certificate</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/credentials/acme">\(viewer.csrfField)
        \(WebHTML.select("Account", name: "account_id", options: accounts, selected: accounts.first?.value ?? "", form: form))
        \(WebHTML.field("Names", name: "names", form: form, required: true, hint: "Comma or space separated; *.example.com needs DNS-01"))
        \(WebHTML.select("Challenge", name: "challenge", options: challenges, selected: "http-01", form: form))
        \(WebHTML.field("HTTP-01 port", name: "http_port", form: form, type: "number", value: "80", hint: "Where the CA (or your proxy) reaches Unity for /.well-known/acme-challenge"))
        \(WebHTML.field("HTTP-01 listen address", name: "http_host", form: form, value: "0.0.0.0"))
        \(WebHTML.select("Or HTTP-01 by a server's web server", name: "webroot.server_id",
                         options: [(value: "", label: "— Unity answers itself")] + model.servers.map { (value: $0.id.uuidString, label: $0.name) }, selected: "", form: form))
        \(WebHTML.field("Its webroot", name: "webroot.path", form: form, hint: "e.g. /var/www/html: the token is written there over SSH and removed afterwards"))
        \(WebHTML.select("DNS provider", name: "dns_provider.type", options: providers, selected: "cloudflare", form: form))
        \(WebHTML.textarea("DNS provider settings", name: "dns_settings", form: form, rows: 3))
        <p class="muted">One <code>key=value</code> per line, e.g. <code>zone_id=…</code>, <code>nameserver=ns1:53</code>, <code>hook=nsupdate.sh</code> (exec: a file in the admin's hooks folder; its secrets are named <code>HOOK_…</code>).</p>
        \(WebHTML.textarea("DNS provider secrets", name: "dns_secrets", form: form, rows: 3, keepValue: false))
        <p class="muted">API tokens, TSIG secrets, passwords: stored sealed and never shown again.</p>
        \(WebHTML.select("Key type", name: "key_type", options: keyTypes, selected: CertificateKeyType.p256.rawValue, form: form))
        <button type="submit">Issue</button></form></section>
        """
    }
}
