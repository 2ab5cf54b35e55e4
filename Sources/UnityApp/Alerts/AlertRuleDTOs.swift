import Foundation
import UnityAlerts
import Vapor

struct RuleTargetDTO: Content, Hashable {
    /// `all`, `tag` or `resources`.
    var type: String
    var tag: String?
    /// Resource keys, `type:id` (e.g. `server:6F1C…`).
    var resources: [String]?

    init(_ selector: TargetSelector) {
        switch selector {
        case .all: type = "all"
        case .tag(let tag): type = "tag"; self.tag = tag
        case .resources(let keys): type = "resources"; resources = keys.sorted()
        }
    }

    init(type: String, tag: String? = nil, resources: [String]? = nil) {
        self.type = type
        self.tag = tag
        self.resources = resources
    }

    func selector() throws -> TargetSelector {
        switch type {
        case "all": return .all
        case "tag":
            guard let tag = tag?.trimmingCharacters(in: .whitespaces), !tag.isEmpty else { throw APIError.validation("target.tag", "name the tag") }
            return .tag(tag)
        case "resources":
            let keys = Set((resources ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            guard !keys.isEmpty else { throw APIError.validation("target.resources", "list at least one resource key (type:id)") }
            guard keys.allSatisfy({ $0.contains(":") }) else { throw APIError.validation("target.resources", "resource keys look like type:id") }
            return .resources(keys)
        default: throw APIError.validation("target.type", "expected all, tag or resources")
        }
    }
}

struct AlertRuleDTO: Content, APIExample {
    var id: UUID
    var name: String
    var source: String
    var kind: String
    var metric: String
    var `operator`: String
    var threshold: Double
    var clearThreshold: Double?
    var forDuration: Double
    var severity: String
    var target: RuleTargetDTO
    var channelIds: [UUID]
    var enabled: Bool
    var messageTemplate: String?
    var builtin: Bool

    init(_ rule: AlertRule, builtin: Bool) {
        id = rule.id; name = rule.name; source = rule.source.rawValue
        if case .event = rule.trigger { kind = "event" } else { kind = "metric" }
        metric = rule.trigger.key; `operator` = rule.comparison.rawValue; threshold = rule.threshold
        clearThreshold = rule.clearThreshold; forDuration = rule.forDuration; severity = rule.severity.rawValue
        target = RuleTargetDTO(rule.target); channelIds = rule.channelIDs; enabled = rule.enabled
        messageTemplate = rule.messageTemplate; self.builtin = builtin
    }

    static var example: AlertRuleDTO {
        var rule = InfrastructureAlerts.rules[2]
        rule.channelIDs = [UUID()]
        rule.target = .tag("production")
        return AlertRuleDTO(rule, builtin: true)
    }

    static var allowedValues: [String: [String]] {
        ["source": AlertSource.allCases.map(\.rawValue), "kind": ["metric", "event"],
         "operator": ComparisonOperator.allCases.map(\.rawValue), "severity": AlertSeverity.allCases.map(\.rawValue)]
    }
}

/// Create, dry-run and (with every field optional) update bodies.
struct AlertRuleBody: Content, APIExample {
    var name: String?
    var metric: String?
    var `operator`: String?
    var threshold: Double?
    var clearThreshold: Double?
    var forDuration: Double?
    var severity: String?
    var target: RuleTargetDTO?
    var channelIds: [UUID]?
    var enabled: Bool?
    var messageTemplate: String?

    static var example: AlertRuleBody {
        .init(name: "Root filesystem nearly full", metric: InfrastructureAlerts.filesystemUsed, operator: ">", threshold: 90,
              clearThreshold: 85, forDuration: 300, severity: "warning", target: RuleTargetDTO(type: "tag", tag: "production"),
              channelIds: [UUID()], enabled: true, messageTemplate: "{{resource}} is {{value}}% full")
    }

    static var allowedValues: [String: [String]] { AlertRuleDTO.allowedValues }

    /// Applies the body over `base` (a new rule starts from a blank one) and validates the result.
    func apply(to base: AlertRule?) throws -> AlertRule {
        let metricKey = metric ?? base?.trigger.key
        guard let metricKey else { throw APIError.validation("metric", "is required") }
        guard let known = AlertCatalogue.metric(metricKey) else {
            throw APIError.validation("metric", "unknown metric \(metricKey); GET /api/v1/alert-rules/metrics lists them")
        }
        guard let name = name ?? base?.name else { throw APIError.validation("name", "is required") }
        let comparison = try `operator`.map { raw in
            guard let value = ComparisonOperator(rawValue: raw) else {
                throw APIError.validation("operator", "expected one of \(ComparisonOperator.allCases.map(\.rawValue).joined(separator: " "))")
            }
            return value
        } ?? base?.comparison
        guard let comparison else { throw APIError.validation("operator", "is required") }
        guard let threshold = threshold ?? base?.threshold else { throw APIError.validation("threshold", "is required") }
        let severity = try severity.map { raw in
            guard let value = AlertSeverity(rawValue: raw) else { throw APIError.validation("severity", "expected info, warning or critical") }
            return value
        } ?? base?.severity
        guard let severity else { throw APIError.validation("severity", "is required") }
        if let messageTemplate, messageTemplate.count > 500 { throw APIError.validation("message_template", "at most 500 characters") }
        var rule = AlertRule(
            id: base?.id ?? UUID(), name: try ObjectName.valid(name), source: known.source,
            trigger: known.kind == .event ? .event(metricKey) : .metric(metricKey), comparison: comparison, threshold: threshold,
            clearThreshold: clearThreshold ?? (metric == nil || metric == base?.trigger.key ? base?.clearThreshold : nil),
            forDuration: forDuration ?? base?.forDuration ?? 0, severity: severity,
            target: try target?.selector() ?? base?.target ?? .all, channelIDs: channelIds ?? base?.channelIDs ?? [],
            enabled: enabled ?? base?.enabled ?? true, messageTemplate: messageTemplate ?? base?.messageTemplate)
        if forDuration.map({ $0 > 30 * 86_400 }) == true { throw APIError.validation("for_duration", "at most 30 days (2592000 s)") }
        rule.channelIDs = Array(Set(rule.channelIDs))
        do {
            try rule.validate()
        } catch {
            throw APIError.validation(error.field, error.reason)
        }
        return rule
    }
}

struct AlertMetricDTO: Content, APIExample {
    var key: String
    var kind: String
    var source: String
    var resourceType: String
    var unit: String
    var summary: String

    init(_ metric: AlertMetric) {
        key = metric.key; kind = metric.kind.rawValue; source = metric.source.rawValue
        resourceType = metric.resourceType; unit = metric.unit; summary = metric.summary
    }

    static var example: AlertMetricDTO { .init(InfrastructureAlerts.metrics[2]) }
}

struct DryRunDTO: Content, APIExample {
    var observationsEvaluated: Int
    var wouldFire: [AlertDTO]
    var stillActive: [AlertDTO]
    var wouldResolve: [AlertDTO]
    /// Messages per channel id the evaluation would send.
    var notifications: [String: Int]

    static var example: DryRunDTO {
        .init(observationsEvaluated: 12, wouldFire: [.example], stillActive: [.example], wouldResolve: [.example],
              notifications: [UUID().uuidString.lowercased(): 1])
    }
}
