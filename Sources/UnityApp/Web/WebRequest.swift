import Foundation
import UnityCore
import Vapor

/// Who is looking at a page: enough to greet them, hide what their role cannot use, and sign
/// every form with the session's CSRF token. Pages decide what to show; the server still
/// enforces every rule on the POST.
struct WebViewer: Sendable, Equatable {
    var username: String
    var role: Role
    /// Empty for bearer callers (API keys), who need no CSRF token.
    var csrf: String

    func can(_ needed: Role) -> Bool { role >= needed }

    /// The hidden input every POST form carries.
    var csrfField: String { "<input type=\"hidden\" name=\"csrf_token\" value=\"\(WebPage.escape(csrf))\">" }
}

extension Request {
    func webViewer() throws -> WebViewer {
        let principal = try principal()
        var csrf = ""
        if case .session(_, let token) = principal.credential { csrf = token }
        return WebViewer(username: principal.username, role: principal.effectiveRole, csrf: csrf)
    }

    /// The submitted form. Parsed by hand so that a missing or odd body is an empty form, never
    /// a decoding error page: validation then names the missing fields next to them.
    func webForm() -> WebForm {
        guard let body = body.string, headers.contentType == .urlEncodedForm else { return WebForm(pairs: []) }
        return WebForm(encoded: body)
    }

    /// Runs an API handler for a form: the form's values become that handler's JSON body, so
    /// the page and the API share validation, auditing and rules. The route's own audit event
    /// is named like the API's, marked as coming from the web.
    func callAPI<Input: Encodable, Output>(_ action: String, body: Input?, _ handler: (Request) async throws -> Output) async throws -> Output {
        audit.action = action
        audit.details["via"] = "web"
        if let body {
            headers.contentType = .json
            try content.encode(body, as: .json)
        }
        return try await handler(self)
    }
}

/// `application/x-www-form-urlencoded` fields in order; a name may repeat (checkbox lists).
struct WebForm: Sendable {
    var pairs: [(String, String)]

    init(pairs: [(String, String)]) { self.pairs = pairs }

    init(encoded: String) {
        pairs = encoded.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring?) -> String {
                guard let text else { return "" }
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(pieces.first), decode(pieces.count > 1 ? pieces[1] : nil))
        }
    }

    subscript(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    /// The value trimmed, nil when blank.
    func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func values(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    /// Checkboxes send their value only when ticked.
    func flag(_ name: String) -> Bool { self[name] != nil }

    /// Submitted values, for re-rendering a form after an error (never passwords or keys).
    func kept(_ names: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for name in names { if let value = self[name] { result[name] = value } }
        return result
    }
}

/// What a form shows after a failed submit: the values typed and a message per field.
struct FormState: Sendable, Equatable {
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    /// A problem not tied to one field (a conflict, a refused action).
    var message: String?

    static let empty = FormState()

    func value(_ name: String, default fallback: String = "") -> String { values[name] ?? fallback }

    /// An API error placed next to the field it names, or above the form when it names none
    /// of `fields` (the API calls nested fields `target.tag`; forms use the same names).
    init(values: [String: String] = [:], error: APIError? = nil, fields: [String] = []) {
        self.values = values
        guard let error else { return }
        if let field = error.field, fields.contains(field) {
            // Validation messages start with the field name, which the label already says.
            let prefix = "\(field): "
            errors[field] = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
        } else {
            message = error.message
        }
    }
}
