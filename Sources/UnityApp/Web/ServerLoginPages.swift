import Fluent
import Vapor

/// `/credentials/logins`: server credentials (user, password or key, sudo password). Passwords are
/// write-only: the form never shows them, leaving one blank keeps it, and reveal is a confirmed POST.
enum ServerLoginPages {
    static func list(_ request: Request) async throws -> Response { try await render(request, form: .empty, status: .ok) }

    static func render(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        request.url.query = "per_page=\(PageRequest.maxPerPage)"
        let items = try await ServerCredentialsController.list(request).items
        let keys = try await keyChoices(request)
        return try WebLayout.respond(request, title: "Server logins", section: .credentials, status: status) {
            ServerLoginsView.body(items, keys: keys, form: form, viewer: $0)
        }
    }

    static func keyChoices(_ request: Request) async throws -> [(id: UUID, name: String)] {
        try await SSHKeyRecord.query(on: request.db).sort(\.$name).all().compactMap { key in key.id.map { (id: $0, name: key.name) } }
    }

    /// The form as the API body. On edit a blank password means "keep"; the remove boxes clear one.
    static func body(_ form: WebForm, editing: Bool) throws -> ServerCredentialBody {
        var keyID: UUID?
        if let raw = form.text("ssh_key_id") {
            guard let id = UUID(uuidString: raw) else { throw APIError.validation("ssh_key_id", "no such SSH key") }
            keyID = id
        }
        var password = form["password"].flatMap { $0.isEmpty ? nil : $0 }
        var sudo = form["sudo_password"].flatMap { $0.isEmpty ? nil : $0 }
        if editing, form.flag("remove_password") { password = "" }
        if editing, form.flag("remove_sudo_password") { sudo = "" }
        return ServerCredentialBody(name: form.text("name"), username: form.text("username"),
                                    password: password, sudoPassword: sudo, sshKeyId: keyID,
                                    port: try CertificatePages.number(form, "port"), notes: form["notes"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
    }

    static func create(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let response = try await request.callAPI("credentials.create", body: try body(form, editing: false), ServerCredentialsController.create)
            let login = try response.content.decode(ServerCredentialDTO.self)
            return ("/credentials/logins", "Added login \(login.name).")
        }, failure: { error in
            // Passwords are never sent back into the page.
            let kept = FormState(values: form.kept(["name", "username", "ssh_key_id", "port", "notes"]), error: error, fields: ServerLoginsView.formFields)
            return try await render(request, form: kept, status: error.status)
        })
    }

    static func edit(_ request: Request) async throws -> Response { try await renderEdit(request, form: .empty, status: .ok) }

    static func renderEdit(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let login = try await ServerCredentialsController.get(request)
        let keys = try await keyChoices(request)
        return try WebLayout.respond(request, title: login.name, section: .credentials, status: status) {
            ServerLoginsView.editPage(login, keys: keys, form: form, viewer: $0)
        }
    }

    static func update(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let login = try await request.callAPI("credentials.update", body: try body(form, editing: true), ServerCredentialsController.update)
            return (WebActions.path("/credentials/logins", login.id), "Saved login \(login.name).")
        }, failure: { error in
            let kept = FormState(values: form.kept(["name", "username", "ssh_key_id", "port", "notes"]), error: error, fields: ServerLoginsView.formFields)
            return try await renderEdit(request, form: kept, status: error.status)
        })
    }

    static func delete(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/credentials/logins") {
            let login = try await ServerCredentialsController.get(request)
            _ = try await request.callAPI("credentials.delete", body: Optional<String>.none, ServerCredentialsController.delete)
            return "Removed login \(login.name)."
        }
    }

    static func confirmReveal(_ request: Request) async throws -> Response {
        let login = try await ServerCredentialsController.get(request)
        return try WebLayout.respond(request, title: "Reveal \(login.name)", section: .credentials) { ServerLoginsView.confirmReveal(login, viewer: $0) }
    }

    /// Answers the POST with the passwords themselves (no redirect, never cached).
    static func reveal(_ request: Request) async throws -> Response {
        let login = try await ServerCredentialsController.get(request)
        let revealed = try await request.callAPI("credentials.reveal", body: Optional<String>.none, ServerCredentialsController.reveal)
        return try WebLayout.respond(request, title: "Passwords of \(login.name)", section: .credentials) { _ in
            ServerLoginsView.revealed(login, secrets: revealed)
        }
    }
}
