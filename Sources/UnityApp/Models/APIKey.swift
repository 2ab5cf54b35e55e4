import Fluent
import UnityCore
import Vapor

/// An API key. The token is shown once at creation; only its SHA-256 and a short prefix (to tell
/// keys apart in lists) are stored.
final class APIKey: Model, @unchecked Sendable {
    static let schema = "api_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "name") var name: String
    @Field(key: "token_prefix") var tokenPrefix: String
    @Field(key: "token_hash") var tokenHash: String
    /// Comma-separated `APIKeyScope` values.
    @Field(key: "scopes") var scopes: String
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(userID: UUID, name: String, tokenPrefix: String, tokenHash: String, scopes: [APIKeyScope], expiresAt: Date?) {
        self.userID = userID
        self.name = name
        self.tokenPrefix = tokenPrefix
        self.tokenHash = tokenHash
        self.scopes = scopes.map(\.rawValue).joined(separator: ",")
        self.expiresAt = expiresAt
    }

    var scopeValues: [APIKeyScope] { scopes.split(separator: ",").compactMap { APIKeyScope(rawValue: String($0)) } }
}
