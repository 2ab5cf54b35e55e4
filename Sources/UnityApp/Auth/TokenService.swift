import Crypto
import Fluent
import JWTKit
import UnityCore
import Vapor

/// Issues and checks the three kinds of bearer credentials: short-lived access tokens (JWT, HS256
/// with a key sealed in the database so every replica shares it), rotating refresh tokens, and API
/// keys (`unity_` prefix). Stored forms are hashes only.
public struct TokenService: Sendable {
    static let apiKeyPrefix = "unity_"
    static let jwtSecretName = "jwt_signing_key"

    let keys: JWTKeyCollection
    let accessTTL: Int
    let refreshTTL: Int

    struct AccessClaims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var role: String
        var typ: String
        /// The user's credentials version when the token was issued (absent in tokens of older
        /// versions: 0).
        var ver: Int?

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            guard typ == "access" else { throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not an access token") }
        }
    }

    /// Loads the signing key from `system_secrets`, creating it on first start.
    static func make(database: any Database, secrets: SecretBox, config: AppConfig) async throws -> TokenService {
        let secret: String
        if let stored = try await SystemSecret.find(jwtSecretName, on: database) {
            secret = try SystemSecret.valueColumn.open(stored.sealedValue, row: jwtSecretName, in: secrets)
        } else {
            secret = SecureToken.generate()
            try await SystemSecret(name: jwtSecretName, sealedValue: try SystemSecret.valueColumn.seal(secret, row: jwtSecretName, in: secrets)).create(on: database)
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return TokenService(keys: keys, accessTTL: config.accessTokenTTL, refreshTTL: config.refreshTokenTTL)
    }

    func accessToken(for user: User, now: Date = Date()) async throws -> String {
        let claims = AccessClaims(
            sub: .init(value: try user.requireID().uuidString),
            exp: .init(value: now.addingTimeInterval(TimeInterval(accessTTL))),
            iat: .init(value: now),
            role: user.role,
            typ: "access",
            ver: user.credentialsVersion)
        return try await keys.sign(claims)
    }

    /// The user and credentials version of a valid access token, or nil for anything else
    /// (expired, forged, malformed). The caller compares the version with the user's.
    func verifyAccessToken(_ token: String) async -> (userID: UUID, credentialsVersion: Int)? {
        guard let claims = try? await keys.verify(token, as: AccessClaims.self), let id = UUID(uuidString: claims.sub.value) else { return nil }
        return (id, claims.ver ?? 0)
    }

    /// Starts a new refresh-token family (a login) or continues one (a refresh).
    func issueRefreshToken(userID: UUID, familyID: UUID = UUID(), on database: any Database, now: Date = Date()) async throws -> String {
        let token = SecureToken.generate(prefix: "rt_")
        let record = RefreshToken(
            userID: userID, familyID: familyID, tokenHash: SecureToken.hash(token),
            expiresAt: now.addingTimeInterval(TimeInterval(refreshTTL)))
        try await record.create(on: database)
        return token
    }
}
