import Vapor

/// The browser-facing security headers, stamped in one place on every response on its way out,
/// so pages, error pages (404/403/500 from the error middleware) and anything added later carry
/// them alike. Every response is `nosniff`; HTML also gets a policy that allows nothing from
/// another origin and no framing (clickjacking), and keeps the referrer on this site.
struct WebSecurityHeaders: AsyncMiddleware {
    static let contentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        Self.apply(to: response.headers.contentType, headers: &response.headers)
        return response
    }

    static func apply(to contentType: HTTPMediaType?, headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        guard let contentType, contentType.type == "text", contentType.subType == "html" else { return }
        headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
        headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
    }
}
