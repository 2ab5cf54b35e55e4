import Fluent
import UnityCore
import Vapor

/// Browser sign-in with a session cookie (HttpOnly, SameSite=Lax, Secure unless on plain-HTTP
/// loopback) and CSRF-protected forms, following POST-redirect-GET.
enum WebController {
    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
        var csrfToken: String?

        // Form fields are not re-cased like JSON keys are.
        enum CodingKeys: String, CodingKey {
            case username, password, next
            case csrfToken = "csrf_token"
        }
    }

    /// The sign-in form has no session yet, so its CSRF token is a double-submit cookie: another
    /// site can make a browser post the form, but cannot read or set this cookie to match.
    static let loginCSRFCookie = "unity_login_csrf"

    static func loginPage(_ request: Request) async throws -> Response {
        let next = safeNext(request.query[String.self, at: "next"])
        // Nobody has signed in yet: the operator needs to know where the first password is.
        let firstRun = try await User.query(on: request.db).filter(\.$lastLoginAt != nil).count() == 0
        return loginForm(request, username: "", next: next, error: nil, firstRun: firstRun, status: .ok)
    }

    private static func loginForm(_ request: Request, username: String, next: String, error: String?, firstRun: Bool, status: HTTPResponseStatus) -> Response {
        let csrf = SecureToken.generate()
        let response = WebPage.html(loginHTML(username: username, next: next, error: error, firstRun: firstRun, csrf: csrf), status: status)
        response.cookies[loginCSRFCookie] = HTTPCookies.Value(
            string: csrf, maxAge: 3600, path: "/login", isSecure: secureCookies(request), isHTTPOnly: true, sameSite: .strict)
        return response
    }

    static func login(_ request: Request) async throws -> Response {
        let form = try request.content.decode(LoginForm.self)
        let username = form.username ?? ""
        let next = safeNext(form.next)
        request.audit.action = "auth.login"
        request.audit.actorName = username
        request.audit.targetType = "user"
        guard let supplied = form.csrfToken, let expected = request.cookies[loginCSRFCookie]?.string,
              SecureToken.constantTimeEquals(supplied, expected) else {
            request.audit.details["csrf"] = "failed"
            return loginForm(request, username: username, next: next, error: "The sign-in form expired. Please try again.", firstRun: false, status: .forbidden)
        }
        let user: User
        do {
            user = try await AuthController.authenticate(username: username, password: form.password ?? "", request: request)
        } catch let error as APIError {
            // Keep the username, show the reason next to the form, never a raw error page.
            let page = loginForm(request, username: username, next: next, error: error.message, firstRun: false, status: error.status)
            if let wait = error.headers.first(name: "Retry-After") { page.headers.replaceOrAdd(name: "Retry-After", value: wait) }
            return page
        }
        let token = SecureToken.generate()
        let ttl = request.unity.config.refreshTokenTTL
        let session = WebSession(userID: try user.requireID(), tokenHash: SecureToken.hash(token),
                                 csrfToken: SecureToken.generate(), expiresAt: Date().addingTimeInterval(TimeInterval(ttl)))
        try await session.create(on: request.db)
        let response = request.redirect(to: next, redirectType: .normal)
        response.cookies[Authenticate.sessionCookie] = HTTPCookies.Value(
            string: token, maxAge: ttl, path: "/", isSecure: secureCookies(request), isHTTPOnly: true, sameSite: .lax)
        response.cookies[loginCSRFCookie] = HTTPCookies.Value(string: "", maxAge: 0, path: "/login", isHTTPOnly: true, sameSite: .strict)
        return response
    }

    static func logout(_ request: Request) async throws -> Response {
        if case .session(let id, _) = try request.principal().credential {
            try await WebSession.query(on: request.db).filter(\.$id == id).delete()
        }
        let response = request.redirect(to: "/login", redirectType: .normal)
        response.cookies[Authenticate.sessionCookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isSecure: secureCookies(request), isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static func home(_ request: Request) async throws -> Response {
        try await DashboardPages.dashboard(request)
    }

    static func stylesheet(_ request: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.cacheControl = .init(maxAge: 3600)
        return Response(status: .ok, headers: headers, body: .init(string: WebPage.stylesheet + "\n" + WebStyles.components))
    }

    /// Only local paths (`LocalRedirect`): an open redirect after login would hand a phishing site a trusted link.
    static func safeNext(_ next: String?) -> String {
        guard let next, LocalRedirect.isSafe(next) else { return "/" }
        return next
    }

    static func secureCookies(_ request: Request) -> Bool {
        switch request.unity.config.cookieSecurity {
        case .always: return true
        case .never: return false
        case .auto:
            if request.headers.first(name: "X-Forwarded-Proto") == "https" { return true }
            let host = request.unity.config.bindHost
            return !(host == "127.0.0.1" || host == "localhost" || host == "::1")
        }
    }

    private static func loginHTML(username: String, next: String, error: String?, firstRun: Bool, csrf: String) -> String {
        let hint = firstRun ? "<p class=\"muted\">First start: sign in as <code>admin</code> with the password Unity printed in its console (or <code>UNITY_ADMIN_PASSWORD</code>).</p>" : ""
        let errorHTML = error.map { "<p class=\"error\" role=\"alert\">\(WebPage.escape($0))</p>" } ?? ""
        return WebPage.document(title: "Sign in", body: """
        <main class="narrow"><section class="card"><h1>Sign in to Unity</h1>\(hint)\(errorHTML)
        <form method="post" action="/login">
        <input type="hidden" name="next" value="\(WebPage.escape(next))">
        <input type="hidden" name="csrf_token" value="\(WebPage.escape(csrf))">
        <label for="username">Username</label><input id="username" name="username" autocomplete="username" required value="\(WebPage.escape(username))">
        <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">Sign in</button></form></section></main>
        """)
    }
}
