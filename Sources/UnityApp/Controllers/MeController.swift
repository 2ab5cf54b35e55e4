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
        try await user.save(on: request.db)
        // Other devices sign in again; the session making this change is kept.
        try await RefreshToken.query(on: request.db).filter(\.$userID == principal.userID).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: Date()).update()
        return .noContent
    }
}
