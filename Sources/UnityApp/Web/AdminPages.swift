import Fluent
import UnityCore
import Vapor

/// `/admin/…`: users, audit log, scheduled tasks, settings.
enum AdminPages {
    static func users(_ request: Request) async throws -> Response { try await renderUsers(request, form: .empty, password: nil, status: .ok) }

    static func renderUsers(_ request: Request, form: FormState, password: String?, status: HTTPResponseStatus) async throws -> Response {
        let users = try await User.query(on: request.db).sort(\.$username).all().map(UserDTO.init)
        return try WebLayout.respond(request, title: "Users", section: .admin, status: status) {
            AdminView.users(users, form: form, generatedPassword: password, viewer: $0)
        }
    }

    static func createUser(_ request: Request) async throws -> Response {
        let form = request.webForm()
        do {
            guard let role = Role(rawValue: form.text("role") ?? "") else { throw APIError.validation("role", "choose a role") }
            let body = CreateUserBody(username: form.text("username") ?? "", role: role, password: form["password"].flatMap { $0.isEmpty ? nil : $0 })
            let response = try await request.callAPI("users.create", body: body, UsersController.create)
            let created = try response.content.decode(CreatedUser.self)
            // A generated password is shown on this response only, never carried in a redirect.
            if let password = created.generatedPassword { return try await renderUsers(request, form: .empty, password: password, status: .ok) }
            return WebFlash.redirect(request, to: "/admin/users", notice: "Added \(created.user.username).")
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            return try await renderUsers(request, form: FormState(values: form.kept(["username", "role"]), error: mapped, fields: AdminView.userFields),
                                         password: nil, status: mapped.status)
        }
    }

    static func updateUser(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.perform(request, back: "/admin/users") {
            let body = UpdateUserBody(role: form.text("role").flatMap(Role.init(rawValue:)), disabled: form.text("disabled").map { $0 == "true" })
            let user = try await request.callAPI("users.update", body: body, UsersController.update)
            return "\(user.username): \(user.role.rawValue), \(user.disabled ? "disabled" : "active")."
        }
    }

    static func audit(_ request: Request) async throws -> Response {
        let names = ["actor", "action", "outcome"]
        var filters: [String: String] = [:]
        var query: [String] = ["per_page=100"]
        for name in names {
            guard let value = request.query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { continue }
            filters[name] = value
            query.append("\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        }
        request.url.query = query.joined(separator: "&")
        let page: Page<AuditEventDTO>
        do {
            page = try await AuditController.list(request)
        } catch let error as APIError where error.status == .unprocessableEntity {
            return WebFlash.redirect(request, to: "/admin/audit", notice: error.message, isError: true)
        }
        return try WebLayout.respond(request, title: "Audit log", section: .admin) { _ in
            AdminLogsView.audit(page.items, total: page.total, filters: filters)
        }
    }

    static func tasks(_ request: Request) async throws -> Response {
        let tasks = try await TasksController.list(request)
        return try WebLayout.respond(request, title: "Scheduled tasks", section: .admin) { AdminLogsView.tasks(tasks, viewer: $0) }
    }

    static func taskHistory(_ request: Request) async throws -> Response {
        request.url.query = "per_page=50"
        let runs = try await TasksController.runs(request).items
        let name = request.parameters.get("name") ?? ""
        return try WebLayout.respond(request, title: "Runs of \(name)", section: .admin) { _ in AdminLogsView.history(name, runs: runs) }
    }

    static func runTask(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/admin/tasks") {
            let run = try await request.callAPI("tasks.run", body: Optional<String>.none, TasksController.runNow)
            return "\(run.task): \(run.status)\(run.error.map { " (\($0))" } ?? "")."
        }
    }

    static func settings(_ request: Request) async throws -> Response {
        let settings = try await SettingsController.get(request)
        return try WebLayout.respond(request, title: "Settings", section: .admin) { AdminView.settings(settings, form: .empty, viewer: $0) }
    }

    static func updateSettings(_ request: Request) async throws -> Response {
        let form = request.webForm()
        let current = try await SettingsController.get(request)
        return try await WebActions.submit(request, success: {
            guard let length = form.text("min_password_length").flatMap(Int.init) else {
                throw APIError.validation("min_password_length", "expected a whole number")
            }
            let commands = form["certificate_reload_commands"].map { $0.split(whereSeparator: \.isNewline).map(String.init) }
            _ = try await request.callAPI("settings.update", body: UpdateSettingsBody(minPasswordLength: length, certificateReloadCommands: commands),
                                          SettingsController.update)
            return ("/admin/settings", "Settings saved.")
        }, failure: { error in
            let state = FormState(values: form.kept(["min_password_length", "certificate_reload_commands"]), error: error,
                                  fields: ["min_password_length", "certificate_reload_commands"])
            return try WebLayout.respond(request, title: "Settings", section: .admin, status: error.status) {
                AdminView.settings(current, form: state, viewer: $0)
            }
        })
    }
}
