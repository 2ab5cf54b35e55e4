import Fluent
import UnityAlerts
import Vapor

/// `/api/v1/notification-channels` and the delivery log `/api/v1/notifications`.
enum NotificationChannelsController {
    static func list(_ request: Request) async throws -> Page<NotificationChannelDTO> {
        let paging = try PageRequest(request)
        let query = NotificationChannelRecord.query(on: request.db)
        let total = try await query.count()
        let rows = try await query.sort(\.$name).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try rows.map { try NotificationChannelDTO($0, for: request) }, page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> NotificationChannelDTO { try NotificationChannelDTO(try await find(request), for: request) }

    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(NotificationChannelBody.self)
        guard let name = body.name else { throw APIError.validation("name", "is required") }
        guard let url = body.url else { throw APIError.validation("url", "is required") }
        let record = NotificationChannelRecord()
        record.id = UUID()
        record.name = try ObjectName.valid(name)
        try record.store(try parse(url, tls: try body.tls(base: .default)), secrets: request.unity.secrets)
        record.enabled = body.enabled ?? true
        record.events = JSONList.encode(try body.validEvents() ?? NotificationEvent.allCases.map(\.rawValue))
        record.allRules = body.allRules ?? true
        try await ensureUniqueName(record.name, except: nil, on: request.db)
        try await record.create(on: request.db)
        request.audit.targetID = record.id?.uuidString
        request.audit.details["kind"] = record.kind
        let response = Response(status: .created)
        try response.content.encode(try NotificationChannelDTO(record, for: request))
        return response
    }

    static func update(_ request: Request) async throws -> NotificationChannelDTO {
        let record = try await find(request)
        let body = try request.content.decode(NotificationChannelBody.self)
        if let name = body.name {
            record.name = try ObjectName.valid(name)
            try await ensureUniqueName(record.name, except: record.id, on: request.db)
        }
        let current = try record.config(secrets: request.unity.secrets)
        let tls = try body.tls(base: current.tls)
        if let url = body.url {
            try record.store(try parse(url, tls: tls), secrets: request.unity.secrets)
        } else if tls != current.tls {
            try record.store(ChannelConfig(service: current.service, tls: tls), secrets: request.unity.secrets)
        }
        if let enabled = body.enabled { record.enabled = enabled }
        if let events = try body.validEvents() { record.events = JSONList.encode(events) }
        if let allRules = body.allRules { record.allRules = allRules }
        try await record.save(on: request.db)
        return try NotificationChannelDTO(record, for: request)
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let record = try await find(request)
        let id = try record.requireID()
        try await request.db.transaction { db in
            // Rules naming the channel forget it rather than pointing at nothing.
            for row in try await AlertRuleRecord.query(on: db).all() {
                guard var rule = row.rule, rule.channelIDs.contains(id) else { continue }
                rule.channelIDs.removeAll { $0 == id }
                try row.update(from: rule)
                try await row.save(on: db)
            }
            try await record.delete(on: db)
        }
        return .noContent
    }

    static func test(_ request: Request) async throws -> DeliveryResultDTO {
        let record = try await find(request)
        return DeliveryResultDTO(try await request.unity.alerts.sendTest(to: record))
    }

    static let logQuery: [QueryParameter] = QueryParameter.paging + [
        .init(name: "channel_id", kind: .string, description: "attempts of one channel"),
        .init(name: "outcome", kind: .string, description: "delivered, failed, retrying or suppressed"),
    ]

    static func log(_ request: Request) async throws -> Page<NotificationLogDTO> {
        let paging = try PageRequest(request)
        let query = NotificationLogEntry.query(on: request.db)
        if let channel = request.query[String.self, at: "channel_id"] {
            guard let id = UUID(uuidString: channel) else { throw APIError.validation("channel_id", "expected a UUID") }
            query.filter(\.$channelID == id)
        }
        if let outcome = request.query[String.self, at: "outcome"] {
            guard NotificationLogEntry.Outcome(rawValue: outcome) != nil else {
                throw APIError.validation("outcome", "expected delivered, failed, retrying or suppressed")
            }
            query.filter(\.$outcome == outcome)
        }
        let total = try await query.count()
        let rows = try await query.sort(\.$finishedAt, .descending).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try rows.map { try NotificationLogDTO($0, audience: ChannelURLAudience(request)) }, page: paging.page, perPage: paging.perPage, total: total)
    }

    private static func parse(_ url: String, tls: ChannelTLS) throws -> ChannelConfig {
        do {
            return try ChannelURL.parse(url, tls: tls)
        } catch {
            // The error names the URL part (scheme, token, to, …); it never repeats the URL itself.
            throw APIError.validation("url", error.description)
        }
    }

    private static func find(_ request: Request) async throws -> NotificationChannelRecord {
        let id = try request.uuidParameter(what: "notification channel")
        request.audit.targetID = id.uuidString
        guard let record = try await NotificationChannelRecord.find(id, on: request.db) else { throw APIError.notFound("notification channel") }
        return record
    }

    private static func ensureUniqueName(_ name: String, except id: UUID?, on db: any Database) async throws {
        if let other = try await NotificationChannelRecord.query(on: db).filter(\.$name == name).first(), other.id != id {
            throw APIError.conflict("a notification channel named \(name) already exists")
        }
    }
}
