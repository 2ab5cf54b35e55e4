import Foundation

/// Server logins: which secrets are set (never their values), add/edit forms, reveal behind a confirmation.
enum ServerLoginsView {
    static let formFields = ["name", "username", "password", "sudo_password", "ssh_key_id", "port", "notes"]

    static func body(_ logins: [ServerCredentialDTO], keys: [(id: UUID, name: String)], form: FormState, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let keyNames = Dictionary(keys.map { ($0.id, $0.name) }) { first, _ in first }
        let rows = logins.map { login -> [String] in
            let base = "/credentials/logins/\(login.id.uuidString.lowercased())"
            var actions = ""
            if viewer.can(.operator) {
                actions = "<a href=\"\(base)\">Edit</a>"
                if login.hasPassword || login.hasSudoPassword { actions += " · <a href=\"\(base)/reveal\">Reveal…</a>" }
                actions += " <form method=\"post\" action=\"\(base)/delete\" class=\"inline\" data-confirm=\"Remove the login \(esc(login.name))?\">\(viewer.csrfField)<button type=\"submit\" class=\"secondary\">Delete</button></form>"
            }
            return [esc(login.name), "<code>\(esc(login.username))</code>", login.sshKeyId.map { esc(keyNames[$0] ?? "?") } ?? "—",
                    login.hasPassword ? "set" : "—", login.hasSudoPassword ? "set" : "—", login.port.map(String.init) ?? "—",
                    String(login.usedBy), esc(login.notes), actions]
        }
        return """
        <h1>Server logins</h1>\(CertificatesView.subnav("/credentials/logins"))
        <section class="card" aria-labelledby="logins-h"><h2 id="logins-h">Logins</h2>
        <p class="muted">Servers refer to a login instead of carrying their own secrets. Passwords are never shown here.</p>
        \(WebHTML.table(headers: ["Name", "User", "SSH key", "Password", "Sudo password", "Port", "Servers", "Notes", ""], rows: rows, empty: "No server logins yet."))
        </section>
        \(viewer.can(.operator) ? loginForm(form, keys: keys, viewer: viewer, login: nil) : "")
        """
    }

    /// Add (login nil) or edit. Password fields are write-only: always empty.
    static func loginForm(_ form: FormState, keys: [(id: UUID, name: String)], viewer: WebViewer, login: ServerCredentialDTO?) -> String {
        let keyOptions = [(value: "", label: login?.sshKeyId == nil ? "No key (password)" : "Keep the current key")] + keys.map { (value: $0.id.uuidString, label: $0.name) }
        let action = login.map { "/credentials/logins/\($0.id.uuidString.lowercased())" } ?? "/credentials/logins"
        let passwordHint = login == nil ? "Optional when an SSH key is chosen" : (login!.hasPassword ? "Set; leave blank to keep it" : "Not set")
        let sudoHint = login == nil ? "Optional" : (login!.hasSudoPassword ? "Set; leave blank to keep it" : "Not set")
        var removals = ""
        if let login, login.hasPassword { removals += WebHTML.checkbox("Remove the password", name: "remove_password", checked: false) }
        if let login, login.hasSudoPassword { removals += WebHTML.checkbox("Remove the sudo password", name: "remove_sudo_password", checked: false) }
        return """
        <section class="card" aria-labelledby="login-form-h"><h2 id="login-form-h">\(login == nil ? "Add a login" : "Change this login")</h2>\(WebHTML.formMessage(form))
        <form method="post" action="\(action)">\(viewer.csrfField)
        \(WebHTML.field("Name", name: "name", form: form, value: login?.name ?? "", required: login == nil))
        \(WebHTML.field("User name", name: "username", form: form, value: login?.username ?? "", required: login == nil))
        \(WebHTML.select("SSH key", name: "ssh_key_id", options: keyOptions, selected: login?.sshKeyId?.uuidString ?? "", form: form))
        \(WebHTML.field("Password", name: "password", form: form, type: "password", hint: passwordHint, extra: "autocomplete=\"new-password\""))
        \(WebHTML.field("Sudo password", name: "sudo_password", form: form, type: "password", hint: sudoHint, extra: "autocomplete=\"new-password\""))
        \(removals)
        \(WebHTML.field("Port", name: "port", form: form, type: "number", value: login?.port.map(String.init) ?? "", hint: "Optional; overrides the server's port"))
        \(WebHTML.field("Notes", name: "notes", form: form, value: login?.notes ?? ""))
        <button type="submit">\(login == nil ? "Add login" : "Save login")</button></form></section>
        """
    }

    static func editPage(_ login: ServerCredentialDTO, keys: [(id: UUID, name: String)], form: FormState, viewer: WebViewer) -> String {
        """
        <p><a href="/credentials/logins">← Server logins</a></p>
        <h1>\(WebHTML.esc(login.name))</h1>
        <p class="muted">Used by \(login.usedBy) servers.</p>
        \(viewer.can(.operator) ? loginForm(form, keys: keys, viewer: viewer, login: login) : "")
        """
    }

    static func confirmReveal(_ login: ServerCredentialDTO, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/credentials/logins/\(login.id.uuidString.lowercased())"
        return """
        <p><a href="/credentials/logins">← Server logins</a></p>
        <h1>Reveal the passwords of \(esc(login.name))?</h1>
        <section class="card"><p>They will be shown once on the next page. Revealing them is recorded in the audit log under your name.</p>
        <form method="post" action="\(base)/reveal">\(viewer.csrfField)
        <button type="submit" class="danger">Reveal passwords</button> <a href="/credentials/logins">Cancel</a></form></section>
        """
    }

    static func revealed(_ login: ServerCredentialDTO, secrets: RevealedCredentialDTO) -> String {
        let esc = WebHTML.esc
        func secret(_ label: String, _ id: String, _ value: String?) -> String {
            guard let value else { return "<p class=\"muted\">\(label): not set</p>" }
            return "<label for=\"\(id)\">\(label)</label><input id=\"\(id)\" readonly class=\"secret\" value=\"\(esc(value))\">"
        }
        return """
        <p><a href="/credentials/logins">← Server logins</a></p>
        <h1>Passwords of \(esc(login.name))</h1>
        <section class="card"><p class="error">Keep these secret. This page is not cached; leaving it hides them again.</p>
        \(secret("Password", "revealed-password", secrets.password))
        \(secret("Sudo password", "revealed-sudo-password", secrets.sudoPassword))</section>
        """
    }
}
