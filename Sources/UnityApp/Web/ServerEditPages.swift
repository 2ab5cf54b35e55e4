import Fluent
import Vapor

/// `/servers/:id/edit` and `/servers/:id/delete`: change every field `servers.update` accepts,
/// and remove a server behind a confirmation page.
enum ServerEditPages {
    static func edit(_ request: Request) async throws -> Response { try await renderEdit(request, form: .empty, status: .ok) }

    static func renderEdit(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let server = try ServerDTO(try await ServersController.find(request))
        let choices = try await ServerEditChoices.load(request, excluding: server.id)
        return try WebLayout.respond(request, title: "Edit \(server.name)", section: .servers, status: status) {
            ServerEditView.editPage(server, choices: choices, form: form, viewer: $0)
        }
    }

    static func update(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let server = try await request.callAPI("servers.update", body: try body(form), ServersController.update)
            return (WebActions.path("/servers", server.id), "Saved \(server.name).")
        }, failure: { error in
            let kept = FormState(values: form.kept(ServerEditView.formFields + ["enabled", "use_sudo", "submitted"]), error: error, fields: ServerEditView.formFields)
            return try await renderEdit(request, form: kept, status: error.status)
        })
    }

    /// The form as the API's update body. A blank key, login or jump server means "keep";
    /// "none" removes it (sent as `null`).
    static func body(_ form: WebForm) throws -> PatchBody<UpdateServerBody> {
        func number(_ name: String) throws -> Int? {
            guard let text = form.text(name) else { return nil }
            guard let value = Int(text) else { throw APIError.validation(name, "expected a whole number") }
            return value
        }
        var nulls: [String] = []
        func id(_ name: String, _ what: String) throws -> UUID? {
            guard let raw = form.text(name) else { return nil }
            if raw == "none" { nulls.append(name); return nil }
            guard let value = UUID(uuidString: raw) else { throw APIError.validation(name, "no \(what) with this id") }
            return value
        }
        guard let name = form.text("name") else { throw APIError.validation("name", "is required") }
        guard let address = form.text("address") else { throw APIError.validation("address", "is required") }
        guard let username = form.text("username") else { throw APIError.validation("username", "is required") }
        let tags = (form["tags"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let body = UpdateServerBody(name: name, address: address, port: try number("port"), username: username, tags: tags,
                                    enabled: form.flag("enabled"), intervalSeconds: try number("interval_seconds"),
                                    sshKeyId: try id("ssh_key_id", "SSH key"), credentialId: try id("credential_id", "login"),
                                    useSudo: form.flag("use_sudo"), jumpServerId: try id("jump_server_id", "server"))
        return PatchBody(body: body, nulls: nulls)
    }

    static func confirmDelete(_ request: Request) async throws -> Response {
        let server = try ServerDTO(try await ServersController.find(request))
        return try WebLayout.respond(request, title: "Delete \(server.name)", section: .servers) { ServerEditView.confirmDelete(server, viewer: $0) }
    }

    static func delete(_ request: Request) async throws -> Response {
        let server = try await ServersController.find(request)
        return try await WebActions.perform(request, back: "/servers") {
            _ = try await request.callAPI("servers.delete", body: Optional<String>.none, ServersController.delete)
            return "Deleted \(server.name) and its history."
        }
    }
}

/// What the edit form offers to choose from: (id, name) of keys, logins and possible jump servers.
struct ServerEditChoices: Sendable {
    var keys: [(id: UUID, name: String)]
    var logins: [(id: UUID, name: String)]
    var servers: [(id: UUID, name: String)]

    static func load(_ request: Request, excluding server: UUID) async throws -> ServerEditChoices {
        let keys = try await SSHKeyRecord.query(on: request.db).sort(\.$name).all().compactMap { row in row.id.map { (id: $0, name: row.name) } }
        let logins = try await ServerCredential.query(on: request.db).sort(\.$name).all().compactMap { row in row.id.map { (id: $0, name: row.name) } }
        let servers = try await MonitoredServer.query(on: request.db).sort(\.$name).all()
            .compactMap { row in row.id.flatMap { $0 == server ? nil : (id: $0, name: row.name) } }
        return ServerEditChoices(keys: keys, logins: logins, servers: servers)
    }
}
