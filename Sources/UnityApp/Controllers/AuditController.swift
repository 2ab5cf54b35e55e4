import Fluent
import Vapor

/// `GET /api/v1/audit`: newest first, filtered and paged.
enum AuditController {
    static let queryParameters: [QueryParameter] = QueryParameter.paging + [
        .init(name: "actor", kind: .string, description: "actor name (username)"),
        .init(name: "action", kind: .string, description: "exact action, e.g. users.create"),
        .init(name: "target_type", kind: .string, description: "e.g. user, api_key, task"),
        .init(name: "target_id", kind: .string, description: "id of the target"),
        .init(name: "outcome", kind: .string, description: "success, failure or denied"),
        .init(name: "since", kind: .dateTime, description: "events at or after this time"),
        .init(name: "until", kind: .dateTime, description: "events before this time"),
    ]

    static func list(_ request: Request) async throws -> Page<AuditEventDTO> {
        let paging = try PageRequest(request)
        let query = AuditEvent.query(on: request.db)
        if let actor = request.query[String.self, at: "actor"] { query.filter(\.$actorName == actor) }
        if let action = request.query[String.self, at: "action"] { query.filter(\.$action == action) }
        if let type = request.query[String.self, at: "target_type"] { query.filter(\.$targetType == type) }
        if let id = request.query[String.self, at: "target_id"] { query.filter(\.$targetID == id) }
        if let outcome = request.query[String.self, at: "outcome"] {
            guard ["success", "failure", "denied"].contains(outcome) else {
                throw APIError.validation("outcome", "expected success, failure or denied")
            }
            query.filter(\.$outcome == outcome)
        }
        if let since = try request.dateQuery("since") { query.filter(\.$occurredAt >= since) }
        if let until = try request.dateQuery("until") { query.filter(\.$occurredAt < until) }
        let total = try await query.count()
        let events = try await query.sort(\.$occurredAt, .descending)
            .range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try events.map(AuditEventDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }
}
