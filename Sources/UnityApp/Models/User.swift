import Fluent
import UnityCore
import Vapor

final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @Field(key: "disabled") var disabled: Bool
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, username: String, passwordHash: String, role: Role) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.disabled = false
    }

    /// Unknown values (a row edited by hand) fall back to the least privilege.
    var roleValue: Role { Role(rawValue: role) ?? .viewer }
}
