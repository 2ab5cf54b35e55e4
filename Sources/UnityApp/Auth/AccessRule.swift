import UnityCore
import Vapor

/// Who may call a route. Every route carries exactly one, set by `RoutesBuilder.access(_:)`; a test
/// walks all registered routes and fails on any without a rule.
enum AccessRule: Sendable, Equatable, CustomStringConvertible {
    /// Open to anyone: health, login, static assets, the API description.
    case open
    /// Any signed-in user or API key with at least this role.
    case role(Role)

    static let userInfoKey = "unity.access"

    var description: String {
        switch self {
        case .open: "public"
        case .role(let role): role.rawValue
        }
    }
}

extension Route {
    var accessRule: AccessRule? { userInfo[AccessRule.userInfoKey] as? AccessRule }
}

extension RoutesBuilder {
    /// Routes added through the returned builder carry `rule`, and are enforced by it: the same
    /// call both declares and enforces, so the two cannot drift apart.
    func access(_ rule: AccessRule) -> any RoutesBuilder {
        switch rule {
        case .open:
            return AccessRoutesBuilder(rule: rule, base: grouped(AuditMiddleware(), ForgetCachedPrincipals()))
        case .role(let role):
            return AccessRoutesBuilder(rule: rule, base: grouped(AuditMiddleware(), ForgetCachedPrincipals(), Authenticate(), RequireRole(role)))
        }
    }
}

private struct AccessRoutesBuilder: RoutesBuilder {
    let rule: AccessRule
    let base: any RoutesBuilder

    func add(_ route: Route) {
        route.userInfo[AccessRule.userInfoKey] = rule
        base.add(route)
    }
}

/// Rejects callers below the route's role (401 without credentials, 403 with too little).
struct RequireRole: AsyncMiddleware {
    let minimum: Role

    init(_ minimum: Role) { self.minimum = minimum }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let principal = request.auth.get(Principal.self) else {
            if request.method == .GET, WebPage.prefersHTML(request) {
                let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
                let encoded = next.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "?"])) ?? "/"
                return request.redirect(to: "/login?next=" + encoded)
            }
            throw APIError.unauthorized
        }
        guard principal.effectiveRole >= minimum else {
            throw APIError.forbidden("this needs the \(minimum.rawValue) role")
        }
        if !request.method.isSafe, !principal.mayMutate {
            throw APIError.forbidden("this API key has only the read scope")
        }
        return try await next.respond(to: request)
    }
}

/// Any successful change may revoke or narrow someone's access (a revoked key, a disabled user, a
/// new role or password), so it empties the principal cache of this process. Changes are rare;
/// reads, which the cache exists for, keep it.
struct ForgetCachedPrincipals: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if !request.method.isSafe, response.status.code < 400 { request.unity.principals.removeAll() }
        return response
    }
}

extension HTTPMethod {
    var isSafe: Bool { self == .GET || self == .HEAD || self == .OPTIONS }
}
