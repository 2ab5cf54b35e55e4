import Fluent
import UnityAlerts
import Vapor

/// `/api/v1/alerts`: list and read alerts, act on them one by one or in bulk, maintenance mode.
/// Pending alerts (condition not yet held for the rule's duration) are never shown.
enum AlertsController {
    static let queryParameters: [QueryParameter] = QueryParameter.paging + [
        .init(name: "status", kind: .string, description: "firing, acknowledged or resolved; `active` for firing + acknowledged"),
        .init(name: "severity", kind: .string, description: "info, warning or critical"),
        .init(name: "source", kind: .string, description: "credentials, infrastructure, containers or system"),
        .init(name: "rule_id", kind: .string, description: "alerts of one rule"),
        .init(name: "resource_type", kind: .string, description: "server, filesystem, disk, zpool, md_array, database, certificate, …"),
        .init(name: "resource_id", kind: .string, description: "alerts about one resource"),
    ]

    static func list(_ request: Request) async throws -> Page<AlertDTO> {
        let paging = try PageRequest(request)
        let query = StoredAlert.query(on: request.db).filter(\.$status != AlertStatus.pending.rawValue)
        if let status = request.query[String.self, at: "status"] {
            if status == "active" {
                query.filter(\.$status ~~ [AlertStatus.firing.rawValue, AlertStatus.acknowledged.rawValue])
            } else {
                guard let value = AlertStatus(rawValue: status), value != .pending else {
                    throw APIError.validation("status", "expected active, firing, acknowledged or resolved")
                }
                query.filter(\.$status == value.rawValue)
            }
        }
        if let severity = request.query[String.self, at: "severity"] {
            guard AlertSeverity(rawValue: severity) != nil else { throw APIError.validation("severity", "expected info, warning or critical") }
            query.filter(\.$severity == severity)
        }
        if let source = request.query[String.self, at: "source"] {
            guard AlertSource(rawValue: source) != nil else {
                throw APIError.validation("source", "expected credentials, infrastructure, containers or system")
            }
            query.filter(\.$source == source)
        }
        if let rule = request.query[String.self, at: "rule_id"] {
            guard let id = UUID(uuidString: rule) else { throw APIError.validation("rule_id", "expected a UUID") }
            query.filter(\.$ruleID == id)
        }
        if let type = request.query[String.self, at: "resource_type"] { query.filter(\.$resourceType == type) }
        if let id = request.query[String.self, at: "resource_id"] { query.filter(\.$resourceID == id) }
        let total = try await query.count()
        let rows = try await query.sort(\.$firedAt, .descending).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: rows.compactMap(\.alertState).map(AlertDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> AlertDTO { AlertDTO(try await find(request)) }

    static func acknowledge(_ request: Request) async throws -> AlertDTO {
        let body = try request.content.decode(AcknowledgeBody.self)
        try validNote(body.note)
        return try await single(request, .acknowledge(note: body.note, untilValueChanges: body.untilValueChanges ?? false))
    }

    static func snooze(_ request: Request) async throws -> AlertDTO {
        let body = try request.content.decode(SnoozeBody.self)
        return try await single(request, .snooze(until: try body.end(now: Date())))
    }

    static func resolve(_ request: Request) async throws -> AlertDTO { try await single(request, .resolve) }

    static func bulk(_ request: Request) async throws -> AlertActionResultDTO {
        let body = try request.content.decode(BulkAlertActionBody.self)
        guard (1...500).contains(body.ids.count) else { throw APIError.validation("ids", "give 1 to 500 alert ids") }
        let action: AlertPipeline.Action
        switch body.action {
        case "acknowledge":
            try validNote(body.note)
            action = .acknowledge(note: body.note, untilValueChanges: body.untilValueChanges ?? false)
        case "snooze": action = .snooze(until: try SnoozeBody(until: body.until, minutes: body.minutes).end(now: Date()))
        case "resolve": action = .resolve
        default: throw APIError.validation("action", "expected acknowledge, snooze or resolve")
        }
        request.audit.details["count"] = String(body.ids.count)
        let rejected = try await request.unity.alerts.act(action, on: body.ids, by: try request.principal().username)
        let rows = try await StoredAlert.query(on: request.db).filter(\.$id ~~ body.ids).all().compactMap(\.alertState)
        let refused = Set(rejected.map(\.alertID))
        var rejections = rejected.map { AlertActionResultDTO.Rejected(id: $0.alertID, reason: $0.reason) }
        for id in body.ids where !rows.contains(where: { $0.id == id }) && !refused.contains(id) {
            rejections.append(.init(id: id, reason: "no such alert"))
        }
        return AlertActionResultDTO(updated: rows.filter { !refused.contains($0.id) }.map(AlertDTO.init), rejected: rejections)
    }

    static func maintenance(_ request: Request) async throws -> MaintenanceDTO {
        let value = try await MaintenanceStore.load(on: request.db)
        return MaintenanceDTO(global: value.global, serverIds: value.servers.sorted())
    }

    static func setMaintenance(_ request: Request) async throws -> MaintenanceDTO {
        let body = try request.content.decode(MaintenanceDTO.self)
        var servers: Set<String> = []
        for raw in body.serverIds {
            guard let id = UUID(uuidString: raw), try await MonitoredServer.find(id, on: request.db) != nil else {
                throw APIError.validation("server_ids", "\(raw) is not a known server")
            }
            // Resource ids carry UUIDs as uuidString (upper case); match that form.
            servers.insert(id.uuidString)
        }
        try await MaintenanceStore.save(Maintenance(global: body.global, servers: servers), on: request.db)
        request.audit.details["global"] = String(body.global)
        request.audit.details["servers"] = String(servers.count)
        return try await maintenance(request)
    }

    private static func single(_ request: Request, _ action: AlertPipeline.Action) async throws -> AlertDTO {
        let alert = try await find(request)
        let rejected = try await request.unity.alerts.act(action, on: [alert.id], by: try request.principal().username)
        if let problem = rejected.first { throw APIError.conflict(problem.reason) }
        return try await get(request)
    }

    private static func validNote(_ note: String?) throws {
        if let note, note.count > 1_000 { throw APIError.validation("note", "at most 1000 characters") }
    }

    static func find(_ request: Request) async throws -> AlertState {
        let id = try request.uuidParameter(what: "alert")
        request.audit.targetID = id.uuidString
        guard let row = try await StoredAlert.find(id, on: request.db), let alert = row.alertState, alert.status != .pending else {
            throw APIError.notFound("alert")
        }
        return alert
    }
}
