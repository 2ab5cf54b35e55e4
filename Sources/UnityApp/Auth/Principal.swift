import UnityCore
import Vapor

/// Who is calling, resolved once per request by `Authenticate`.
struct Principal: Authenticatable, Sendable {
    enum Credential: Sendable, Equatable {
        case accessToken
        case apiKey(id: UUID, scopes: [APIKeyScope])
        case session(id: UUID, csrfToken: String)
    }

    let userID: UUID
    let username: String
    let userRole: Role
    let credential: Credential

    /// The role this request acts with: an API key never exceeds its owner's role or its scopes.
    var effectiveRole: Role {
        guard case .apiKey(_, let scopes) = credential else { return userRole }
        let granted = scopes.map(\.grantedRole).max() ?? .viewer
        return min(userRole, granted)
    }

    /// A `read`-only key never changes anything, whatever its owner's role.
    var mayMutate: Bool {
        guard case .apiKey(_, let scopes) = credential else { return true }
        return scopes.contains(.write) || scopes.contains(.admin)
    }

    var actorType: String {
        if case .apiKey = credential { return "api_key" }
        return "user"
    }

    var apiKeyID: UUID? {
        if case .apiKey(let id, _) = credential { return id }
        return nil
    }
}

extension Request {
    /// The authenticated caller; only call behind an access rule that requires one.
    func principal() throws -> Principal {
        guard let principal = auth.get(Principal.self) else { throw APIError.unauthorized }
        return principal
    }
}
