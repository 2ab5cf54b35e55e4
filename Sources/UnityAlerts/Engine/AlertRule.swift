import Foundation

public enum ComparisonOperator: String, Sendable, Codable, CaseIterable {
    case greaterThan = ">"
    case greaterOrEqual = ">="
    case lessThan = "<"
    case lessOrEqual = "<="
    case equal = "=="
    case notEqual = "!="

    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .greaterThan: value > threshold
        case .greaterOrEqual: value >= threshold
        case .lessThan: value < threshold
        case .lessOrEqual: value <= threshold
        case .equal: value == threshold
        case .notEqual: value != threshold
        }
    }

    /// Whether `value` is back on the safe side of a clear threshold. Only ordering operators
    /// have a direction; for == and != hysteresis makes no sense and the rule is rejected.
    func isClear(_ value: Double, clearThreshold: Double) -> Bool {
        switch self {
        case .greaterThan, .greaterOrEqual: value <= clearThreshold
        case .lessThan, .lessOrEqual: value >= clearThreshold
        case .equal, .notEqual: false
        }
    }
}


/// Which resources a rule looks at.
public enum TargetSelector: Sendable, Codable, Hashable {
    case all
    case tag(String)
    /// Resource keys (`type:id`), so a renamed resource stays selected.
    case resources(Set<String>)

    public func matches(_ resource: ResourceRef, tags: Set<String>) -> Bool {
        switch self {
        case .all: true
        case .tag(let tag): tags.contains(tag)
        case .resources(let keys): keys.contains(resource.key)
        }
    }
}


public enum RuleTrigger: Sendable, Codable, Hashable {
    /// A sampled value; the condition must hold for `forDuration` before the alert fires.
    case metric(String)
    /// A discrete occurrence (renewal failed, container died): fires on the first matching
    /// observation, `forDuration` is ignored.
    case event(String)

    public var key: String {
        switch self {
        case .metric(let key), .event(let key): key
        }
    }
}


public struct AlertRule: Sendable, Codable, Hashable, Identifiable {
    public var id: UUID
    public var name: String
    public var source: AlertSource
    public var trigger: RuleTrigger
    public var comparison: ComparisonOperator
    public var threshold: Double
    /// Hysteresis: a firing alert resolves only once the value is past this on the safe side.
    /// Nil means it resolves as soon as the condition stops holding.
    public var clearThreshold: Double?
    public var forDuration: TimeInterval
    public var severity: AlertSeverity
    public var target: TargetSelector
    public var channelIDs: [UUID]
    public var enabled: Bool
    /// Optional message template for the alert itself, e.g. "{{resource}} is {{value}}% full".
    public var messageTemplate: String?

    public init(
        id: UUID = UUID(), name: String, source: AlertSource, trigger: RuleTrigger,
        comparison: ComparisonOperator, threshold: Double, clearThreshold: Double? = nil,
        forDuration: TimeInterval = 0, severity: AlertSeverity, target: TargetSelector = .all,
        channelIDs: [UUID] = [], enabled: Bool = true, messageTemplate: String? = nil
    ) {
        self.id = id
        self.name = name
        self.source = source
        self.trigger = trigger
        self.comparison = comparison
        self.threshold = threshold
        self.clearThreshold = clearThreshold
        self.forDuration = forDuration
        self.severity = severity
        self.target = target
        self.channelIDs = channelIDs
        self.enabled = enabled
        self.messageTemplate = messageTemplate
    }

    public func conditionHolds(_ value: Double) -> Bool { comparison.holds(value, threshold) }

    /// True when a firing alert with this value should resolve.
    public func hasCleared(_ value: Double) -> Bool {
        guard let clearThreshold else { return !conditionHolds(value) }
        return comparison.isClear(value, clearThreshold: clearThreshold)
    }
}


public struct RuleValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule field that is wrong, for a 422 naming it.
    public var field: String
    public var reason: String

    public var description: String { "\(field): \(reason)" }
}


extension AlertRule {
    /// Rejects rules that could never fire or never resolve.
    public func validate() throws(RuleValidationError) {
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw RuleValidationError(field: "name", reason: "must not be empty")
        }
        if trigger.key.isEmpty { throw RuleValidationError(field: "metric", reason: "must not be empty") }
        if !threshold.isFinite { throw RuleValidationError(field: "threshold", reason: "must be a finite number") }
        if !(forDuration >= 0 && forDuration.isFinite) {
            throw RuleValidationError(field: "for_duration", reason: "must be zero or more seconds")
        }
        if case .resources(let keys) = target, keys.isEmpty {
            throw RuleValidationError(field: "target", reason: "select at least one resource")
        }
        guard let clearThreshold else { return }
        let safeSide: Bool = switch comparison {
        case .greaterThan, .greaterOrEqual: clearThreshold <= threshold
        case .lessThan, .lessOrEqual: clearThreshold >= threshold
        case .equal, .notEqual: false
        }
        if !clearThreshold.isFinite || !safeSide {
            let reason = comparison == .equal || comparison == .notEqual
                ? "is only allowed with <, <=, > or >="
                : "must be on the other side of the threshold (\(comparison.rawValue) \(formatValue(threshold)))"
            throw RuleValidationError(field: "clear_threshold", reason: reason)
        }
    }
}
