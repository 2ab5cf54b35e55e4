import Vapor

/// POST-redirect-GET for buttons: run the action, then go back to the page with a one-time
/// notice saying what happened. Problems the person can fix (a conflict, a refused value) come
/// back as a notice too; a missing object or a role that is too low stays an error page.
enum WebActions {
    static func perform(_ request: Request, back: String, _ action: () async throws -> String) async throws -> Response {
        do {
            return WebFlash.redirect(request, to: back, notice: try await action())
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard isCorrectable(mapped) else { throw error }
            return WebFlash.redirect(request, to: back, notice: mapped.message, isError: true)
        }
    }

    /// A form submit: on success redirect with a notice; on a correctable error re-render the form
    /// (status 422 or 409) with the values typed and the message next to its field.
    static func submit(_ request: Request, success: () async throws -> (path: String, notice: String),
                       failure: (APIError) async throws -> Response) async throws -> Response {
        do {
            let result = try await success()
            return WebFlash.redirect(request, to: result.path, notice: result.notice)
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard isCorrectable(mapped) else { throw error }
            return try await failure(mapped)
        }
    }

    static func isCorrectable(_ error: APIError) -> Bool {
        [.badRequest, .conflict, .unprocessableEntity, .unsupportedMediaType].contains(error.status)
    }

    /// The path of an object page for redirects: UUIDs in Unity's URLs are lower case.
    static func path(_ prefix: String, _ id: UUID) -> String { "\(prefix)/\(id.uuidString.lowercased())" }
}
