import UnityCore
import Vapor

/// Turns every error into the API's JSON error shape (or a small HTML page for browsers), mapping
/// decoding problems to 400/422 that name the field. Unknown errors become a 500 whose body says
/// nothing about internals; the details go to the log with the request id.
struct UnityErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let mapped = Self.map(error)
            if mapped.status == .internalServerError {
                request.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            } else {
                request.logger.debug("request failed", metadata: ["status": "\(mapped.status.code)", "code": "\(mapped.code)"])
            }
            await Self.recogniseSignedInBrowser(request, status: mapped.status)
            return Self.response(for: mapped, request: request)
        }
    }

    static func response(for error: APIError, request: Request) -> Response {
        var headers = error.headers
        if let signIn = WebErrors.signInAgain(error, request: request) { return signIn }
        if WebPage.prefersHTML(request) {
            headers.contentType = .html
            // A signed-in person keeps the navigation, so a wrong link is not a dead end.
            let viewer = try? request.webViewer()
            let body = viewer.map { WebPage.errorPage(status: error.status, message: error.message, viewer: $0) }
                ?? WebPage.errorPage(status: error.status, message: error.message)
            if viewer != nil { headers.replaceOrAdd(name: .cacheControl, value: "no-store") }
            return Response(status: error.status, headers: headers, body: .init(string: body))
        }
        let body = ErrorBody(error: .init(code: error.code, message: error.message, field: error.field, requestId: request.id))
        let response = Response(status: error.status, headers: headers)
        do {
            try response.content.encode(body, using: JSONEncoder.unity)
        } catch {
            response.body = .init(string: #"{"error":{"code":"internal_error","message":"internal error"}}"#)
        }
        return response
    }

    /// An unknown path never reached a route's `Authenticate`, so a browser's session is looked up
    /// here (best effort: a bad cookie just means the page without navigation).
    static func recogniseSignedInBrowser(_ request: Request, status: HTTPResponseStatus) async {
        guard status != .unauthorized, WebPage.prefersHTML(request), !request.auth.has(Principal.self),
              request.cookies[Authenticate.sessionCookie] != nil,
              let principal = try? await Authenticate.principal(of: request, cached: true) else { return }
        request.auth.login(principal)
    }

    static func map(_ error: any Error) -> APIError {
        switch error {
        case let api as APIError:
            return api
        case let decoding as DecodingError:
            return map(decoding)
        case let sealed as SecretBoxError:
            // Not the caller's input: the database holds a value this row's key cannot open (moved from
            // another row, or sealed with a key Unity no longer has). Said plainly, and logged as an error.
            return APIError(status: .internalServerError, code: "secret_unreadable",
                            message: "a stored secret of this object cannot be opened (\(sealed.description)); restore it from a backup or enter it again")
        case let abort as any AbortError:
            let reason = abort.status == .payloadTooLarge ? "request body is larger than the allowed size" : abort.reason
            return APIError(status: abort.status, code: code(for: abort.status), message: reason, headers: abort.headers)
        default:
            return APIError(status: .internalServerError, code: "internal_error", message: "internal error")
        }
    }

    static func map(_ error: DecodingError) -> APIError {
        func path(_ context: DecodingError.Context, appending key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let joined = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .validation(path(context, appending: key), "is required")
        case .valueNotFound(_, let context):
            return .validation(path(context), "must not be null")
        case .typeMismatch(let type, let context):
            return .validation(path(context), "expected \(describe(type))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return APIError(status: .badRequest, code: "malformed_body", message: "the request body is not valid JSON")
        case .dataCorrupted(let context):
            return .validation(path(context), context.debugDescription)
        @unknown default:
            return APIError(status: .badRequest, code: "malformed_body", message: "the request body could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: "a value of another type"
        }
    }

    static func code(for status: HTTPResponseStatus) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .conflict: "conflict"
        case .payloadTooLarge: "body_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .unprocessableEntity: "validation_failed"
        case .tooManyRequests: "too_many_requests"
        case .serviceUnavailable: "unavailable"
        default: status.code >= 500 ? "internal_error" : "error"
        }
    }
}
