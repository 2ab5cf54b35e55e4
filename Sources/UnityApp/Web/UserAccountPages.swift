import Fluent
import UnityCore
import Vapor

/// Password pages: an admin sets a user's password or deletes the user (`/admin/users/:id/…`),
/// and everyone changes their own (`/account/password`). Passwords are never echoed back.
enum UserAccountPages {
    static func setPasswordForm(_ request: Request) async throws -> Response { try await renderSetPassword(request, form: .empty, status: .ok) }

    static func renderSetPassword(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let user = try UserDTO(try await UsersController.find(request))
        return try WebLayout.respond(request, title: "Password of \(user.username)", section: .admin, status: status) {
            UserAccountView.setPassword(user, form: form, viewer: $0)
        }
    }

    static func setPassword(_ request: Request) async throws -> Response {
        let user = try await UsersController.find(request)
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let password = form["password"] ?? ""
            guard password == form["password_confirm"] ?? "" else { throw APIError.validation("password_confirm", "does not match the password") }
            _ = try await request.callAPI("users.set_password", body: SetPasswordBody(password: password), UsersController.setPassword)
            return ("/admin/users", "Set a new password for \(user.username); they are signed out everywhere.")
        }, failure: { error in
            try await renderSetPassword(request, form: FormState(error: error, fields: UserAccountView.passwordFields), status: error.status)
        })
    }

    static func confirmDelete(_ request: Request) async throws -> Response {
        let user = try UserDTO(try await UsersController.find(request))
        return try WebLayout.respond(request, title: "Delete \(user.username)", section: .admin) { UserAccountView.confirmDelete(user, viewer: $0) }
    }

    static func delete(_ request: Request) async throws -> Response {
        let user = try await UsersController.find(request)
        return try await WebActions.perform(request, back: "/admin/users") {
            _ = try await request.callAPI("users.delete", body: Optional<String>.none, UsersController.delete)
            return "Deleted \(user.username)."
        }
    }

    static func changeOwnForm(_ request: Request) async throws -> Response {
        try WebLayout.respond(request, title: "Change your password", section: nil) { UserAccountView.changeOwn(form: .empty, viewer: $0) }
    }

    static func changeOwn(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let new = form["new_password"] ?? ""
            guard new == form["new_password_confirm"] ?? "" else { throw APIError.validation("new_password_confirm", "does not match the new password") }
            let body = ChangePasswordBody(currentPassword: form["current_password"] ?? "", newPassword: new)
            _ = try await request.callAPI("me.password", body: body, MeController.changePassword)
            return ("/account/password", "Your password was changed. Other devices must sign in again.")
        }, failure: { error in
            try WebLayout.respond(request, title: "Change your password", section: nil, status: error.status) {
                UserAccountView.changeOwn(form: FormState(error: error, fields: UserAccountView.ownPasswordFields), viewer: $0)
            }
        })
    }
}
