import Fluent
import UnityCore
import Vapor

/// Resolves the caller from `Authorization: Bearer` (an API key or an access token) or from the
/// browser session cookie. Credentials that are present but invalid are a 401 at once, never a
/// silent fall-back to anonymous.
struct Authenticate: AsyncMiddleware {
    static let sessionCookie = "unity_session"
    static let csrfHeader = "X-CSRF-Token"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let principal = try await Self.principal(of: request, cached: true) {
            if !request.method.isSafe {
                try Self.checkCSRF(request: request, principal: principal)
            }
            request.auth.login(principal)
        }
        return try await next.respond(to: request)
    }

    /// The caller the request's credentials name now, or nil without credentials. `cached: false`
    /// asks the database (a long-lived stream re-checks that its caller may still listen).
    static func principal(of request: Request, cached: Bool) async throws -> Principal? {
        if let bearer = request.headers.bearerAuthorization?.token {
            return try await principal(bearer: bearer, request: request, cached: cached)
        } else if let cookie = request.cookies[Self.sessionCookie]?.string {
            return try await principal(sessionToken: cookie, request: request)
        }
        return nil
    }

    private static func principal(bearer: String, request: Request, cached: Bool) async throws -> Principal {
        let cacheKey = SecureToken.hash(bearer)
        if cached, let principal = request.unity.principals.principal(for: cacheKey) { return principal }
        let principal = try await resolve(bearer: bearer, request: request)
        request.unity.principals.store(principal, for: cacheKey)
        return principal
    }

    private static func resolve(bearer: String, request: Request) async throws -> Principal {
        if bearer.hasPrefix(TokenService.apiKeyPrefix) {
            return try await APIKeyAuthenticator.principal(token: bearer, request: request)
        }
        // A token issued before the user's password changed (or before an admin set it, or
        // disabled the account) names an older credentials version and is refused.
        guard let token = await request.unity.tokens.verifyAccessToken(bearer),
              let user = try await User.find(token.userID, on: request.db), !user.disabled,
              user.credentialsVersion == token.credentialsVersion else {
            throw APIError(status: .unauthorized, code: "invalid_token", message: "the access token is invalid or expired",
                           headers: ["WWW-Authenticate": #"Bearer error="invalid_token""#])
        }
        return Principal(userID: token.userID, username: user.username, userRole: user.roleValue, credential: .accessToken)
    }

    private static func principal(sessionToken: String, request: Request) async throws -> Principal {
        guard let session = try await WebSession.query(on: request.db)
                .filter(\.$tokenHash == SecureToken.hash(sessionToken)).first(),
              session.expiresAt > Date(),
              let user = try await User.find(session.userID, on: request.db), !user.disabled,
              let sessionID = session.id else {
            throw APIError(status: .unauthorized, code: "session_expired", message: "the session has expired; sign in again")
        }
        return Principal(userID: try user.requireID(), username: user.username, userRole: user.roleValue,
                         credential: .session(id: sessionID, csrfToken: session.csrfToken))
    }

    /// Cookie-authenticated changes must prove they come from Unity's own pages: the synchroniser
    /// token is in the page (form field or header), which another site cannot read.
    static func checkCSRF(request: Request, principal: Principal) throws {
        guard case .session(_, let expected) = principal.credential else { return }
        let supplied = request.headers.first(name: csrfHeader) ?? (try? request.content.get(String.self, at: "csrf_token"))
        guard let supplied, SecureToken.constantTimeEquals(supplied, expected) else {
            throw APIError(status: .forbidden, code: "csrf_failed", message: "the form has expired; reload the page and try again")
        }
    }
}
