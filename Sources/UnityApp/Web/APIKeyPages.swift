import Foundation
import UnityCore
import Vapor

/// `/account/api-keys`: any signed-in user manages their own keys (admins see all).
enum APIKeyPages {
    static func list(_ request: Request) async throws -> Response { try await render(request, form: .empty, token: nil, status: .ok) }

    static func render(_ request: Request, form: FormState, token: String?, status: HTTPResponseStatus) async throws -> Response {
        request.url.query = "per_page=200"
        let keys = try await APIKeysController.list(request).items
        return try WebLayout.respond(request, title: "API keys", section: nil, status: status) {
            APIKeysView.body(keys, form: form, createdToken: token, viewer: $0)
        }
    }

    /// The token is answered on this POST, once, and never redirected (it would land in history).
    static func create(_ request: Request) async throws -> Response {
        let form = request.webForm()
        do {
            var expires: Date?
            if let raw = form.text("expires_at") {
                let parser = ISO8601DateFormatter()
                parser.formatOptions = [.withFullDate]
                guard let day = parser.date(from: raw) else { throw APIError.validation("expires_at", "expected a date like 2027-01-31") }
                expires = day.addingTimeInterval(86_399)
            }
            let scopes = form.values("scopes").compactMap(APIKeyScope.init(rawValue:))
            let body = CreateAPIKeyBody(name: form.text("name") ?? "", scopes: scopes, expiresAt: expires)
            let response = try await request.callAPI("api_keys.create", body: body, APIKeysController.create)
            let created = try response.content.decode(CreatedAPIKey.self)
            return try await render(request, form: .empty, token: created.token, status: .ok)
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            var values = form.kept(["name", "expires_at"])
            values["scopes"] = form.values("scopes").joined(separator: ",")
            return try await render(request, form: FormState(values: values, error: mapped, fields: APIKeysView.formFields), token: nil, status: mapped.status)
        }
    }

    static func revoke(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/account/api-keys") {
            _ = try await request.callAPI("api_keys.revoke", body: Optional<String>.none, APIKeysController.revoke)
            return "Key revoked."
        }
    }
}
