import Foundation
import UnityCore
import Vapor

/// The frame around every signed-in page: top navigation, who is signed in, sign out, and the
/// one-time notice left by the previous POST (POST-redirect-GET).
enum WebLayout {
    enum Section: String, CaseIterable, Sendable {
        case dashboard, servers, containers, alerts, credentials, admin
    }

    struct Notice: Sendable, Equatable {
        var text: String
        var isError = false
    }

    static func page(title: String, section: Section?, viewer: WebViewer, notice: Notice? = nil, body: String) -> String {
        var links: [(Section, String, String)] = [
            (.dashboard, "/", "Dashboard"), (.servers, "/servers", "Servers"), (.containers, "/containers", "Containers"), (.alerts, "/alerts", "Alerts"),
            (.credentials, "/credentials", "Credentials"),
        ]
        if viewer.can(.admin) { links.append((.admin, "/admin/users", "Admin")) }
        let nav = links.map { (item) -> String in
            let current = item.0 == section ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(item.1)\"\(current)>\(item.2)</a></li>"
        }.joined()
        let noticeHTML = notice.map { (notice) -> String in
            "<p class=\"notice\(notice.isError ? " notice-error" : "")\" role=\"status\">\(WebPage.escape(notice.text))</p>"
        } ?? ""
        return WebPage.document(title: title, body: """
        <header class="top"><a class="brand" href="/">Unity</a>
        <nav aria-label="Main"><ul class="nav">\(nav)</ul></nav>
        <div class="who"><span class="muted">\(WebPage.escape(viewer.username)) · \(viewer.role.rawValue)</span>
        <a href="/account/api-keys">API keys</a> <a href="/account/password">Password</a>
        <form method="post" action="/logout">\(viewer.csrfField)<button class="link" type="submit">Sign out</button></form></div>
        </header>
        <main>\(noticeHTML)\(body)</main>
        <script src="/assets/unity.js" defer></script>
        """)
    }

    /// A page response; a notice read from the flash cookie is shown once and the cookie cleared.
    static func respond(_ request: Request, title: String, section: Section?, status: HTTPResponseStatus = .ok,
                        body: (WebViewer) throws -> String) throws -> Response {
        let viewer = try request.webViewer()
        let notice = WebFlash.read(request)
        let response = WebPage.html(page(title: title, section: section, viewer: viewer, notice: notice, body: try body(viewer)), status: status)
        if notice != nil { WebFlash.clear(response) }
        // Pages show per-user data and sometimes one-time secrets: never keep them in caches.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

/// A one-time message carried from a POST to the page it redirects to, in a short-lived cookie
/// (not the URL, so a link cannot make Unity show arbitrary text).
enum WebFlash {
    static let cookie = "unity_notice"

    static func redirect(_ request: Request, to path: String, notice: String, isError: Bool = false) -> Response {
        let response = request.redirect(to: path, redirectType: .normal)
        let payload = (isError ? "!" : "") + notice
        let encoded = Data(payload.utf8).base64EncodedString()
        response.cookies[cookie] = HTTPCookies.Value(string: encoded, maxAge: 60, path: "/", isSecure: WebController.secureCookies(request),
                                                     isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static func read(_ request: Request) -> WebLayout.Notice? {
        guard let raw = request.cookies[cookie]?.string, !raw.isEmpty,
              let data = Data(base64Encoded: raw), let text = String(data: data, encoding: .utf8), !text.isEmpty else { return nil }
        if text.hasPrefix("!") { return .init(text: String(text.dropFirst()), isError: true) }
        return .init(text: text)
    }

    static func clear(_ response: Response) {
        response.cookies[cookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isHTTPOnly: true, sameSite: .lax)
    }
}
