import Foundation
import Vapor

/// Errors as a browser should meet them. An expired or revoked session is not an error page:
/// the person is sent to sign in and then back to where they were.
enum WebErrors {
    static func signInAgain(_ error: APIError, request: Request) -> Response? {
        guard error.status == .unauthorized, WebPage.prefersHTML(request) else { return nil }
        let next: String
        if request.method == .GET {
            next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
        } else {
            // A form posted with a dead session: return to the page the form was on.
            next = refererPath(request) ?? "/"
        }
        let response = request.redirect(to: loginURL(next: WebController.safeNext(next)), redirectType: .normal)
        if request.cookies[Authenticate.sessionCookie] != nil {
            response.cookies[Authenticate.sessionCookie] = HTTPCookies.Value(
                string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
                isSecure: WebController.secureCookies(request), isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    static func loginURL(next: String) -> String {
        let encoded = next.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "?", "+"])) ?? "/"
        return "/login?next=" + encoded
    }

    /// The path of a same-origin Referer; anything else is ignored.
    private static func refererPath(_ request: Request) -> String? {
        guard let referer = request.headers.first(name: .referer), let url = URLComponents(string: referer),
              let host = request.headers.first(name: .host), url.host.map({ host.hasPrefix($0) }) == true else { return nil }
        return url.path + (url.query.map { "?" + $0 } ?? "")
    }
}
