import Fluent
import UnityCore
import Vapor

/// The signed-in user's own account.
enum MeController {
    static func get(_ request: Request) async throws -> UserDTO {
        let principal = try request.principal()
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        return try UserDTO(user)
    }

    static func changePassword(_ request: Request) async throws -> HTTPStatus {
        let principal = try request.principal()
        let body = try request.content.decode(ChangePasswordBody.self)
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        request.audit.targetType = "user"
        request.audit.targetID = principal.userID.uuidString
        guard try await Passwords.verify(body.currentPassword, hash: user.passwordHash, on: request) else {
            throw APIError.validation("current_password", "is not your current password")
        }
        try await Passwords.validate(body.newPassword, field: "new_password", on: request.db)
        user.passwordHash = try await Passwords.hash(body.newPassword, on: request)
        // Other devices sign in again; the browser session making this change is kept (an API
        // caller's access token is not: it was issued under the old password).
        var current: UUID?
        if case .session(let id, _) = principal.credential { current = id }
        try await AuthController.revokeAll(user: user, keepingSession: current, on: request.db)
        return .noContent
    }
}
