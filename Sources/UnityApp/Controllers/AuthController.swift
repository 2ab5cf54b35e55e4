import Fluent
import UnityCore
import Vapor

/// Login, token refresh and logout for API clients.
enum AuthController {
    static func login(_ request: Request) async throws -> TokenPair {
        let body = try request.content.decode(LoginBody.self)
        request.audit.actorName = body.username
        request.audit.targetType = "user"
        let user = try await authenticate(username: body.username, password: body.password, request: request)
        return try await issuePair(for: user, request: request)
    }

    /// Shared by the API login and the browser login form. The attempt is reserved before the
    /// password is checked (see `LoginThrottle`), so parallel guesses cannot outrun the limit.
    static func authenticate(username: String, password: String, request: Request) async throws -> User {
        let reservation: LoginThrottle.Reservation
        switch try await LoginThrottle.reserve(username: username, address: request.remoteAddress?.ipAddress,
                                               config: request.unity.config, on: request.db) {
        case .wait(let seconds):
            request.audit.details["throttled"] = "true"
            throw APIError(status: .tooManyRequests, code: "too_many_attempts",
                           message: "too many failed sign-ins; try again in \(seconds) seconds",
                           headers: ["Retry-After": String(seconds)])
        case .proceed(let held):
            reservation = held
        }
        let user: User?
        let matches: Bool
        do {
            user = try await User.query(on: request.db).filter(\.$username == username).first()
            matches = try await Passwords.verify(password, hash: user?.passwordHash ?? Passwords.dummyHash, on: request)
        } catch {
            // No password was checked (hashing busy, database gone): the attempt must not count.
            // A failure to give the slots back only shortens this client's allowance until the window ends.
            try? await reservation.release(on: request.db)
            throw error
        }
        guard let user, matches, !user.disabled else {
            throw APIError(status: .unauthorized, code: "invalid_credentials", message: "wrong username or password")
        }
        try await reservation.release(on: request.db)
        request.audit.actorID = user.id
        request.audit.targetID = user.id?.uuidString
        user.lastLoginAt = Date()
        try await user.save(on: request.db)
        return user
    }

    static func refresh(_ request: Request) async throws -> TokenPair {
        let body = try request.content.decode(RefreshBody.self)
        let now = Date()
        let invalid = APIError(status: .unauthorized, code: "invalid_refresh_token", message: "the refresh token is invalid, used or expired")
        guard let stored = try await RefreshToken.query(on: request.db)
                .filter(\.$tokenHash == SecureToken.hash(body.refreshToken)).first() else { throw invalid }
        request.audit.actorID = stored.userID
        if stored.revokedAt != nil {
            // A used token presented again means two parties hold it: end the whole family.
            try await revokeFamily(stored.familyID, on: request.db)
            request.audit.details["reuse_detected"] = "true"
            throw invalid
        }
        guard stored.expiresAt > now, let user = try await User.find(stored.userID, on: request.db), !user.disabled else { throw invalid }
        stored.revokedAt = now
        try await stored.save(on: request.db)
        let access = try await request.unity.tokens.accessToken(for: user)
        let refresh = try await request.unity.tokens.issueRefreshToken(userID: stored.userID, familyID: stored.familyID, on: request.db)
        return TokenPair(accessToken: access, refreshToken: refresh, expiresIn: request.unity.tokens.accessTTL)
    }

    static func logout(_ request: Request) async throws -> HTTPStatus {
        let body = try request.content.decode(RefreshBody.self)
        if let stored = try await RefreshToken.query(on: request.db)
            .filter(\.$tokenHash == SecureToken.hash(body.refreshToken)).first() {
            request.audit.actorID = stored.userID
            try await revokeFamily(stored.familyID, on: request.db)
        }
        // The same answer whether or not the token existed: logout reveals nothing.
        return .noContent
    }

    static func issuePair(for user: User, request: Request) async throws -> TokenPair {
        let access = try await request.unity.tokens.accessToken(for: user)
        let refresh = try await request.unity.tokens.issueRefreshToken(userID: try user.requireID(), on: request.db)
        return TokenPair(accessToken: access, refreshToken: refresh, expiresIn: request.unity.tokens.accessTTL)
    }

    static func revokeFamily(_ familyID: UUID, on database: any Database) async throws {
        try await RefreshToken.query(on: database)
            .filter(\.$familyID == familyID).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: Date()).update()
    }

    /// Ends everything that signed `user` in before now: refresh tokens, browser sessions (all but
    /// `keepingSession`, the one making the change) and, by raising the credentials version,
    /// every access token issued so far. Saves the user.
    static func revokeAll(user: User, keepingSession: UUID? = nil, on database: any Database) async throws {
        let userID = try user.requireID()
        user.credentialsVersion += 1
        try await user.save(on: database)
        try await RefreshToken.query(on: database)
            .filter(\.$userID == userID).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: Date()).update()
        let sessions = WebSession.query(on: database).filter(\.$userID == userID)
        if let keepingSession { sessions.filter(\.$id != keepingSession) }
        try await sessions.delete()
    }
}
