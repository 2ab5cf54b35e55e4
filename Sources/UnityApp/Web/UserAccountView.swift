import Foundation

/// Password forms (never prefilled) and the delete-user confirmation.
enum UserAccountView {
    static let passwordFields = ["password", "password_confirm"]
    static let ownPasswordFields = ["current_password", "new_password", "new_password_confirm"]

    static func setPassword(_ user: UserDTO, form: FormState, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/admin/users/\(user.id.uuidString.lowercased())"
        return """
        <p><a href="/admin/users">← Users</a></p>
        <h1>Set the password of \(esc(user.username))</h1>
        <section class="card">\(WebHTML.formMessage(form))<p class="muted">They are signed out on every device and sign in with the new password.</p>
        <form method="post" action="\(base)/password">\(viewer.csrfField)
        \(WebHTML.field("New password", name: "password", form: form, type: "password", required: true, extra: "autocomplete=\"new-password\""))
        \(WebHTML.field("Repeat it", name: "password_confirm", form: form, type: "password", required: true, extra: "autocomplete=\"new-password\""))
        <button type="submit">Set password</button> <a href="/admin/users">Cancel</a></form></section>
        """
    }

    static func confirmDelete(_ user: UserDTO, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/admin/users/\(user.id.uuidString.lowercased())"
        return """
        <p><a href="/admin/users">← Users</a></p>
        <h1>Delete \(esc(user.username))?</h1>
        <section class="card"><p>\(esc(user.username)) (\(user.role.rawValue)) can no longer sign in; their API keys stop working.
        The audit log keeps what they did. To keep the account for later, disable it instead.</p>
        <form method="post" action="\(base)/delete">\(viewer.csrfField)
        <button type="submit" class="danger">Delete user</button> <a href="/admin/users">Cancel</a></form></section>
        """
    }

    static func changeOwn(form: FormState, viewer: WebViewer) -> String {
        """
        <h1>Change your password</h1>
        <section class="card">\(WebHTML.formMessage(form))<p class="muted">Signed in as \(WebHTML.esc(viewer.username)). This browser stays signed in; other devices sign in again.</p>
        <form method="post" action="/account/password">\(viewer.csrfField)
        \(WebHTML.field("Current password", name: "current_password", form: form, type: "password", required: true, extra: "autocomplete=\"current-password\""))
        \(WebHTML.field("New password", name: "new_password", form: form, type: "password", required: true, extra: "autocomplete=\"new-password\""))
        \(WebHTML.field("Repeat the new password", name: "new_password_confirm", form: form, type: "password", required: true, extra: "autocomplete=\"new-password\""))
        <button type="submit">Change password</button></form></section>
        """
    }
}
