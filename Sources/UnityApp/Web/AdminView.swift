import Foundation
import UnityCore

/// Admin pages: users and settings. (Audit and tasks are in `AdminLogsView`.)
enum AdminView {
    static func subnav(_ current: String) -> String {
        let links = [("/admin/users", "Users"), ("/admin/audit", "Audit log"), ("/admin/audit/archives", "Credential archive"), ("/admin/tasks", "Scheduled tasks"), ("/admin/registries", "Registries"), ("/admin/settings", "Settings")]
        return "<nav aria-label=\"Admin\" class=\"actions\">" + links.map { (link) -> String in
            "<a href=\"\(link.0)\"\(link.0 == current ? " aria-current=\"page\"" : "")>\(link.1)</a>"
        }.joined(separator: " · ") + "</nav>"
    }

    static let userFields = ["username", "role", "password"]
    static let roles: [(value: String, label: String)] = Role.allCases.map { (value: $0.rawValue, label: $0.rawValue) }

    static func users(_ users: [UserDTO], form: FormState, generatedPassword: String?, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let rows = users.map { user -> [String] in
            let base = "/admin/users/\(user.id.uuidString.lowercased())"
            let key = user.id.uuidString.lowercased().prefix(8)
            let roleForm = """
            <form method="post" action="\(base)" class="inline">\(viewer.csrfField)<label class="visually-hidden" for="role-\(key)">Role of \(esc(user.username))</label>
            <select id="role-\(key)" name="role">\(roles.map { "<option value=\"\($0.value)\"\($0.value == user.role.rawValue ? " selected" : "")>\($0.label)</option>" }.joined())</select>
            <button type="submit" class="secondary">Change role</button></form>
            """
            let toggle = WebHTML.actionButton(user.disabled ? "Enable" : "Disable", action: base, viewer: viewer,
                                              style: user.disabled ? "secondary" : "danger", hidden: ["disabled": user.disabled ? "false" : "true"])
            let manage = " <a href=\"\(base)/password\">Set password</a> · <a href=\"\(base)/delete\">Delete…</a>"
            return [esc(user.username), roleForm, WebHTML.badge(user.disabled ? "disabled" : "active", tone: user.disabled ? "muted" : "ok"),
                    WebFormat.time(user.lastLoginAt), toggle + manage]
        }
        let generated = generatedPassword.map {
            "<p class=\"notice\" role=\"status\">Password for the new user (shown once): <code id=\"generated-password\">\(esc($0))</code></p>"
        } ?? ""
        return """
        <h1>Users</h1>\(subnav("/admin/users"))\(generated)
        <section class="card">\(WebHTML.table(headers: ["User", "Role", "State", "Last sign-in", ""], rows: rows, empty: "No users."))</section>
        <section class="card" aria-labelledby="add-user-h"><h2 id="add-user-h">Add a user</h2>\(WebHTML.formMessage(form))
        <form method="post" action="/admin/users">\(viewer.csrfField)<div class="grid">
        \(WebHTML.field("Username", name: "username", form: form, required: true, extra: "autocomplete=\"off\""))
        \(WebHTML.select("Role", name: "role", options: roles, selected: "viewer", form: form))
        \(WebHTML.field("Password", name: "password", form: form, type: "password", hint: "Leave empty to generate one", extra: "autocomplete=\"new-password\""))
        </div><button type="submit">Add user</button></form></section>
        """
    }

    static func settings(_ settings: SettingsDTO, form: FormState, viewer: WebViewer) -> String {
        """
        <h1>Settings</h1>\(subnav("/admin/settings"))
        <section class="card">\(WebHTML.formMessage(form))
        <form method="post" action="/admin/settings">\(viewer.csrfField)
        \(WebHTML.field("Minimum password length", name: "min_password_length", form: form, type: "number",
                        value: String(settings.minPasswordLength), required: true, extra: "min=\"8\""))
        \(WebHTML.textarea("Reload commands operators may choose when they deploy a certificate (one per line; admins may type any)",
                           name: "certificate_reload_commands", form: withReloadCommands(settings, form), rows: 8))
        <button type="submit">Save settings</button></form></section>
        """
    }

    /// The stored list, unless the form comes back after an error with what was typed.
    private static func withReloadCommands(_ settings: SettingsDTO, _ form: FormState) -> FormState {
        guard form.values["certificate_reload_commands"] == nil else { return form }
        var shown = form
        shown.values["certificate_reload_commands"] = settings.certificateReloadCommands.joined(separator: "\n")
        return shown
    }
}
