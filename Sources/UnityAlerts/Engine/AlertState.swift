import Foundation

public enum AlertStatus: String, Sendable, Codable, CaseIterable {
    /// The condition holds but not yet for the rule's `forDuration`. Persisted so the clock
    /// survives restarts; the API should hide pending alerts from the default list.
    case pending
    case firing
    case acknowledged
    case resolved

    /// Pending, firing and acknowledged alerts count for the one-alert-per-(rule, resource) rule.
    public var isActive: Bool { self != .resolved }
}


public struct Acknowledgement: Sendable, Codable, Hashable {
    public var by: String
    public var at: Date
    public var note: String?
    /// When set, the acknowledgement lasts until the value differs from `value`, then the alert
    /// fires again (a CRC counter that keeps climbing is news; the same count is not).
    public var untilValueChanges: Bool
    public var value: Double

    public init(by: String, at: Date, note: String?, untilValueChanges: Bool, value: Double) {
        self.by = by
        self.at = at
        self.note = note
        self.untilValueChanges = untilValueChanges
        self.value = value
    }
}


public enum Resolution: Sendable, Codable, Hashable {
    /// The condition cleared (past the clear threshold if the rule has one).
    case automatic
    case user(String)
    case ruleDisabled
}


/// One alert, as a value: the app persists it, the engine returns updated copies.
public struct AlertState: Sendable, Codable, Hashable, Identifiable {
    public var id: UUID
    public var ruleID: UUID
    public var ruleName: String
    public var source: AlertSource
    public var resource: ResourceRef
    public var severity: AlertSeverity
    public var status: AlertStatus
    public var pendingSince: Date?
    public var firedAt: Date?
    public var lastEvaluatedAt: Date
    public var acknowledgement: Acknowledgement?
    public var snoozedUntil: Date?
    public var resolvedAt: Date?
    public var resolution: Resolution?
    /// The value at the last evaluation, and the one that made the alert fire.
    public var value: Double
    public var triggerValue: Double?
    public var message: String
    /// Whether a "fired" notification was produced (not suppressed by maintenance), so a
    /// "resolved" message is only sent for alerts people were told about.
    public var notified: Bool

    public init(
        id: UUID, ruleID: UUID, ruleName: String, source: AlertSource, resource: ResourceRef,
        severity: AlertSeverity, status: AlertStatus, pendingSince: Date? = nil, firedAt: Date? = nil,
        lastEvaluatedAt: Date, acknowledgement: Acknowledgement? = nil, snoozedUntil: Date? = nil,
        resolvedAt: Date? = nil, resolution: Resolution? = nil, value: Double, triggerValue: Double? = nil,
        message: String, notified: Bool = false
    ) {
        self.id = id
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.source = source
        self.resource = resource
        self.severity = severity
        self.status = status
        self.pendingSince = pendingSince
        self.firedAt = firedAt
        self.lastEvaluatedAt = lastEvaluatedAt
        self.acknowledgement = acknowledgement
        self.snoozedUntil = snoozedUntil
        self.resolvedAt = resolvedAt
        self.resolution = resolution
        self.value = value
        self.triggerValue = triggerValue
        self.message = message
        self.notified = notified
    }

    /// The dedupe key: one active alert per (rule, resource).
    public var dedupeKey: String { "\(ruleID.uuidString)|\(resource.key)" }

    public func isSnoozed(at now: Date) -> Bool {
        guard let snoozedUntil else { return false }
        return snoozedUntil > now
    }
}


public enum NotificationEvent: String, Sendable, Codable, CaseIterable {
    case fired
    /// Fired again after an ack-until-value-changes saw a new value, or a snooze ran out.
    case refired
    case acknowledged
    case resolved
}


/// "Tell channel X about event Y of alert Z". The alert is a snapshot taken at the transition.
public struct NotificationIntent: Sendable, Codable, Hashable {
    public var channelID: UUID
    public var event: NotificationEvent
    public var alert: AlertState
    /// When the observation that caused it was taken: the start of the latency the app measures
    /// (observation → receiver), see `DeliveryAttempt.latency`.
    public var triggeredAt: Date

    public init(channelID: UUID, event: NotificationEvent, alert: AlertState, triggeredAt: Date) {
        self.channelID = channelID
        self.event = event
        self.alert = alert
        self.triggeredAt = triggeredAt
    }
}


public struct AlertTransition: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case pending, pendingCleared, fired, refired, valueChanged, acknowledged, snoozed, snoozeExpired, resolved
    }

    public var kind: Kind
    public var alertID: UUID
    public var at: Date

    public init(kind: Kind, alertID: UUID, at: Date) {
        self.kind = kind
        self.alertID = alertID
        self.at = at
    }
}


public struct EvaluationResult: Sendable, Hashable {
    /// Alerts to insert or update (by id). Includes alerts that resolved in this evaluation.
    public var updatedAlerts: [AlertState] = []
    /// Pending alerts whose condition stopped holding before they fired: delete them.
    public var discardedAlertIDs: [UUID] = []
    public var transitions: [AlertTransition] = []
    public var notifications: [NotificationIntent] = []
    /// What maintenance mode held back, so the app can say so in the notification log.
    public var suppressed: [NotificationIntent] = []

    public init() {}
}
