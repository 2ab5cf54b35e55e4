import Foundation
import UnityCore

/// API keys: your own (admins see everyone's), create with scopes, the token shown once, revoke.
enum APIKeysView {
    static let formFields = ["name", "scopes", "expires_at"]

    static func body(_ keys: [APIKeyDTO], form: FormState, createdToken: String?, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let rows = keys.map { key -> [String] in
            let revoke = key.revokedAt == nil
                ? "<form method=\"post\" action=\"/account/api-keys/\(key.id.uuidString.lowercased())/revoke\" class=\"inline\" data-confirm=\"Revoke \(esc(key.name))?\">\(viewer.csrfField)<button type=\"submit\" class=\"danger\">Revoke</button></form>"
                : WebHTML.badge("revoked", tone: "muted")
            return [esc(key.name), "<code>\(esc(key.prefix))…</code>", esc(key.scopes.map(\.rawValue).joined(separator: ", ")),
                    WebFormat.time(key.expiresAt), WebFormat.time(key.lastUsedAt), revoke]
        }
        let token = createdToken.map { (token) -> String in
            """
            <section class="card" aria-labelledby="token-h"><h2 id="token-h">Your new token</h2>
            <p class="error">Copy it now: Unity stores only its hash and cannot show it again.</p>
            <label for="new-token">Token</label><textarea id="new-token" rows="2" readonly class="secret">\(esc(token))</textarea>
            <button type="button" class="secondary" data-copy="new-token" hidden>Copy token</button></section>
            """
        } ?? ""
        let scopes = APIKeyScope.allCases.filter { $0.grantedRole <= viewer.role }.map { (scope) -> String in
            WebHTML.checkbox(scope.rawValue, name: "scopes", value: scope.rawValue, checked: (form.values["scopes"] ?? "read").split(separator: ",").contains(Substring(scope.rawValue)))
        }.joined()
        return """
        <h1>API keys</h1>\(token)
        <section class="card">\(WebHTML.table(headers: ["Name", "Prefix", "Scopes", "Expires", "Last used", ""], rows: rows, empty: "No API keys."))</section>
        <section class="card" aria-labelledby="add-key-h"><h2 id="add-key-h">Create an API key</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/account/api-keys">\(viewer.csrfField)
        \(WebHTML.field("Name", name: "name", form: form, required: true))
        <fieldset><legend>Scopes</legend>\(scopes)\(form.errors["scopes"].map { "<p class=\"field-error\">\(esc($0))</p>" } ?? "")</fieldset>
        \(WebHTML.field("Expires (optional)", name: "expires_at", form: form, type: "date"))
        <button type="submit">Create key</button></form></section>
        """
    }
}
