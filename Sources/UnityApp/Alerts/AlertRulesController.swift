import Fluent
import UnityAlerts
import Vapor

/// `/api/v1/alert-rules`: the rules features ship (editable, can be disabled, restored by reset)
/// and rules people add; a dry run says what a rule would do against the latest values.
enum AlertRulesController {
    static func list(_ request: Request) async throws -> Page<AlertRuleDTO> {
        let paging = try PageRequest(request)
        let rows = try await AlertRuleRecord.query(on: request.db).sort(\.$name).all()
        let items = rows.compactMap { row in row.rule.map { AlertRuleDTO($0, builtin: row.builtin) } }
        return Page(items: Array(items.dropFirst(paging.offset).prefix(paging.perPage)), page: paging.page, perPage: paging.perPage, total: items.count)
    }

    static func metrics(_ request: Request) async throws -> [AlertMetricDTO] { AlertCatalogue.metrics.map(AlertMetricDTO.init) }

    static func get(_ request: Request) async throws -> AlertRuleDTO {
        let (row, rule) = try await find(request)
        return AlertRuleDTO(rule, builtin: row.builtin)
    }

    static func create(_ request: Request) async throws -> Response {
        let rule = try request.content.decode(AlertRuleBody.self).apply(to: nil)
        try await checkChannels(rule.channelIDs, on: request.db)
        try await ensureUniqueName(rule.name, except: nil, on: request.db)
        try await AlertRuleRecord(rule, builtin: false).create(on: request.db)
        request.audit.targetID = rule.id.uuidString
        let response = Response(status: .created)
        try response.content.encode(AlertRuleDTO(rule, builtin: false))
        return response
    }

    static func update(_ request: Request) async throws -> AlertRuleDTO {
        let (row, current) = try await find(request)
        // `null` removes the clear threshold (clear at the threshold itself) or the custom message,
        // before the rest is applied and validated against what remains.
        var base = current
        let nulls = JSONNulls.keys(in: request)
        if nulls.contains("clear_threshold") { base.clearThreshold = nil }
        if nulls.contains("message_template") { base.messageTemplate = nil }
        let rule = try request.content.decode(AlertRuleBody.self).apply(to: base)
        try await checkChannels(rule.channelIDs, on: request.db)
        try await ensureUniqueName(rule.name, except: rule.id, on: request.db)
        try row.update(from: rule)
        try await row.save(on: request.db)
        // Alerts opened under the old condition must not linger: disabled → resolve them; a changed
        // condition re-evaluates on the next observation.
        if !rule.enabled { try await request.unity.alerts.retire(rule) }
        return AlertRuleDTO(rule, builtin: row.builtin)
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let (row, rule) = try await find(request)
        guard !row.builtin else { throw APIError.conflict("\(rule.name) ships with Unity: disable it instead (reset restores it)") }
        try await request.unity.alerts.retire(rule)
        try await row.delete(on: request.db)
        return .noContent
    }

    static func reset(_ request: Request) async throws -> Page<AlertRuleDTO> {
        let rules = try await DefaultAlertRules.reset(on: request.db)
        request.audit.details["rules"] = String(rules.count)
        return try await list(request)
    }

    static func dryRunNew(_ request: Request) async throws -> DryRunDTO {
        try await dryRun(try request.content.decode(AlertRuleBody.self).apply(to: nil), request: request)
    }

    static func dryRunStored(_ request: Request) async throws -> DryRunDTO {
        try await dryRun(try await find(request).1, request: request)
    }

    private static func dryRun(_ rule: AlertRule, request: Request) async throws -> DryRunDTO {
        let observations = try await LatestObservations.all(metric: rule.trigger.key, on: request.db)
        let existing = try await AlertQueries.active(rule: rule.id, on: request.db)
        let report = request.unity.alerts.engine.dryRun(rule: rule, observations: observations, existing: existing, now: Date())
        let perChannel = Dictionary(grouping: report.notifications, by: { $0.channelID.uuidString.lowercased() }).mapValues(\.count)
        return DryRunDTO(observationsEvaluated: observations.count, wouldFire: report.wouldFire.map(AlertDTO.init),
                         stillActive: report.stillActive.map(AlertDTO.init), wouldResolve: report.wouldResolve.map(AlertDTO.init),
                         notifications: perChannel)
    }

    private static func find(_ request: Request) async throws -> (AlertRuleRecord, AlertRule) {
        let id = try request.uuidParameter(what: "alert rule")
        request.audit.targetID = id.uuidString
        guard let row = try await AlertRuleRecord.find(id, on: request.db), let rule = row.rule else { throw APIError.notFound("alert rule") }
        return (row, rule)
    }

    private static func checkChannels(_ ids: [UUID], on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        let known = Set(try await NotificationChannelRecord.query(on: db).filter(\.$id ~~ ids).all().compactMap(\.id))
        if let missing = ids.first(where: { !known.contains($0) }) {
            throw APIError.validation("channel_ids", "\(missing.uuidString.lowercased()) is not a notification channel")
        }
    }

    private static func ensureUniqueName(_ name: String, except id: UUID?, on db: any Database) async throws {
        if let other = try await AlertRuleRecord.query(on: db).filter(\.$name == name).first(), other.id != id {
            throw APIError.conflict("an alert rule named \(name) already exists")
        }
    }
}
