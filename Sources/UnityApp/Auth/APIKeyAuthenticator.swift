import Fluent
import UnityCore
import Vapor

enum APIKeyAuthenticator {
    /// `last_used_at` is written at most this often per key: a write per request would make every
    /// read a database write and serialise API traffic on SQLite.
    static let lastUsedResolution: TimeInterval = 60

    static func principal(token: String, request: Request) async throws -> Principal {
        let now = Date()
        guard let key = try await APIKey.query(on: request.db)
                .filter(\.$tokenHash == SecureToken.hash(token)).first(),
              key.revokedAt == nil,
              key.expiresAt.map({ $0 > now }) ?? true,
              let keyID = key.id,
              let user = try await User.find(key.userID, on: request.db), !user.disabled else {
            throw APIError(status: .unauthorized, code: "invalid_api_key", message: "the API key is invalid, revoked or expired",
                           headers: ["WWW-Authenticate": #"Bearer error="invalid_token""#])
        }
        if (key.lastUsedAt.map { now.timeIntervalSince($0) > lastUsedResolution }) ?? true {
            try await APIKey.query(on: request.db).filter(\.$id == keyID).set(\.$lastUsedAt, to: now).update()
        }
        return Principal(userID: try user.requireID(), username: user.username, userRole: user.roleValue,
                         credential: .apiKey(id: keyID, scopes: key.scopeValues))
    }
}
