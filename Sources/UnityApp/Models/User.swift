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
    /// Raised whenever what signs this user in changes (own password, a password set by an admin,
    /// the account disabled): access tokens carry the version they were issued under, and an
    /// older one is refused.
    @Field(key: "credentials_version") var credentialsVersion: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, username: String, passwordHash: String, role: Role) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.disabled = false
        self.credentialsVersion = 0
    }

    /// Unknown values (a row edited by hand) fall back to the least privilege.
    var roleValue: Role { Role(rawValue: role) ?? .viewer }
}
