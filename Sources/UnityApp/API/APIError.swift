import Vapor

/// An error meant for the API caller: a stable machine-readable `code`, a human `message` and the
/// HTTP status. Messages never include secrets.
struct APIError: AbortError, Sendable {
    let status: HTTPResponseStatus
    let code: String
    let message: String
    var field: String?
    var headers: HTTPHeaders = [:]

    var reason: String { message }

    static func validation(_ field: String, _ problem: String) -> APIError {
        APIError(status: .unprocessableEntity, code: "validation_failed", message: "\(field): \(problem)", field: field)
    }

    static func notFound(_ what: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: "\(what) not found")
    }

    static func conflict(_ message: String) -> APIError {
        APIError(status: .conflict, code: "conflict", message: message)
    }

    static let unauthorized = APIError(
        status: .unauthorized, code: "unauthorized", message: "authentication required",
        headers: ["WWW-Authenticate": "Bearer"])

    static func forbidden(_ message: String = "your role does not allow this") -> APIError {
        APIError(status: .forbidden, code: "forbidden", message: message)
    }
}

/// The one error body of the API: `{"error": {"code": "...", "message": "...", "field": "..."}}`.
struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var field: String?
        var requestId: String?
    }

    var error: Detail
}
