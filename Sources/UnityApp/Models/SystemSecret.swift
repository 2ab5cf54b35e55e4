import Fluent
import Vapor

/// Unity's own secrets (the JWT signing key, the master-key check value), sealed by the SecretBox.
final class SystemSecret: Model, @unchecked Sendable {
    static let schema = "system_secrets"

    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "sealed_value") var sealedValue: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(name: String, sealedValue: String) {
        self.id = name
        self.sealedValue = sealedValue
    }
}

/// Settings an admin changes at run time (as opposed to start-up configuration).
final class Setting: Model, @unchecked Sendable {
    static let schema = "settings"

    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(name: String, value: String) {
        self.id = name
        self.value = value
    }
}

/// A browser session: the cookie holds a random id whose hash is stored here with a CSRF token.
final class WebSession: Model, @unchecked Sendable {
    static let schema = "web_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(userID: UUID, tokenHash: String, csrfToken: String, expiresAt: Date) {
        self.userID = userID
        self.tokenHash = tokenHash
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}
