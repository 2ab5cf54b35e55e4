import Vapor

/// What a handler adds to its request's audit event: the object it created or touched and details
/// that are safe to keep (never secrets).
final class AuditContext: @unchecked Sendable {
    var targetType: String?
    var targetID: String?
    var details: [String: String] = [:]
    /// For requests without a principal (login), the name the caller claimed.
    var actorName: String?
    var actorID: UUID?
    /// Overrides the route's operation as the action (e.g. `auth.login` vs `auth.login.throttled`).
    var action: String?
    /// Set for requests that must not be recorded twice (a handler that audited itself).
    var skip = false
}

extension Request {
    private struct AuditContextKey: StorageKey { typealias Value = AuditContext }

    var audit: AuditContext {
        if let existing = storage[AuditContextKey.self] { return existing }
        let context = AuditContext()
        storage[AuditContextKey.self] = context
        return context
    }
}
