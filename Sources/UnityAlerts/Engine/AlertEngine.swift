import Foundation

/// The rule engine: pure functions from (rule, observations, current alerts, now) to updated
/// alerts, transitions and notification intents. No I/O and no clock of its own, so every
/// behaviour (for-duration, hysteresis, snooze expiry) is tested with plain dates.
public struct AlertEngine: Sendable {
    /// New alert ids come from here so tests can make them deterministic.
    public var makeID: @Sendable () -> UUID

    public init(makeID: @escaping @Sendable () -> UUID = { UUID() }) {
        self.makeID = makeID
    }

    /// Evaluates one rule against a batch of observations.
    ///
    /// - `existing`: the rule's alerts as stored (other rules' alerts and resolved ones are ignored).
    /// - Observations are applied in time order, so a batch replays history faithfully.
    /// - Resources without an observation keep their state: missing data is not "all clear".
    public func evaluate(
        rule: AlertRule, observations: [Observation], existing: [AlertState],
        maintenance: Maintenance = .none, now: Date
    ) -> EvaluationResult {
        var run = Run(rule: rule, maintenance: maintenance, makeID: makeID)
        for alert in existing where alert.ruleID == rule.id && alert.status.isActive {
            // Storage should hold one active alert per key; if it ever holds two, keep the older.
            if let kept = run.active[alert.resource.key], (kept.firedAt ?? kept.lastEvaluatedAt) <= (alert.firedAt ?? alert.lastEvaluatedAt) {
                continue
            }
            run.active[alert.resource.key] = alert
        }
        guard rule.enabled else {
            run.retireAll(now: now)
            return run.result()
        }
        let relevant = observations
            .filter { $0.key == rule.trigger.key && rule.target.matches($0.resource, tags: $0.tags) }
            .sorted { $0.at < $1.at }
        for observation in relevant { run.apply(observation) }
        run.finish(now: now)
        return run.result()
    }
}


/// The mutable bookkeeping of one evaluation.
struct Run {
    let rule: AlertRule
    let maintenance: Maintenance
    let makeID: @Sendable () -> UUID
    var active: [String: AlertState] = [:]
    var resolved: [AlertState] = []
    var touched: [String] = []
    var createdIDs: Set<UUID> = []
    var firedNow: Set<UUID> = []
    var out = EvaluationResult()

    init(rule: AlertRule, maintenance: Maintenance, makeID: @escaping @Sendable () -> UUID) {
        self.rule = rule
        self.maintenance = maintenance
        self.makeID = makeID
    }

    mutating func touch(_ key: String) {
        if !touched.contains(key) { touched.append(key) }
    }

    mutating func transition(_ kind: AlertTransition.Kind, _ alert: AlertState, at: Date) {
        out.transitions.append(AlertTransition(kind: kind, alertID: alert.id, at: at))
    }

    /// One intent per channel of the rule, or into `suppressed` under maintenance.
    mutating func notify(_ event: NotificationEvent, _ alert: AlertState, at: Date) {
        let intents = rule.channelIDs.map { NotificationIntent(channelID: $0, event: event, alert: alert, triggeredAt: at) }
        if maintenance.covers(alert.resource) {
            out.suppressed += intents
        } else {
            out.notifications += intents
        }
    }

    mutating func apply(_ observation: Observation) {
        let key = observation.resource.key
        touch(key)
        guard var alert = active[key] else {
            if rule.conditionHolds(observation.value) { start(observation) }
            return
        }
        alert.resource = observation.resource
        alert.lastEvaluatedAt = observation.at
        let previous = alert.value
        alert.value = observation.value
        switch alert.status {
        case .pending:
            if rule.conditionHolds(observation.value) {
                active[key] = alert
                promoteIfDue(key, at: observation.at, detail: observation.detail)
            } else {
                active[key] = nil
                transition(.pendingCleared, alert, at: observation.at)
                if !createdIDs.contains(alert.id) { out.discardedAlertIDs.append(alert.id) }
            }
        case .firing, .acknowledged:
            if rule.hasCleared(observation.value) {
                active[key] = nil
                resolve(&alert, by: .automatic, at: observation.at)
                return
            }
            if observation.value != previous { transition(.valueChanged, alert, at: observation.at) }
            // Ack-until-change re-fires on a new value only while the condition still holds:
            // a value improving inside the hysteresis band is not news.
            if alert.status == .acknowledged, let ack = alert.acknowledgement, ack.untilValueChanges,
               observation.value != ack.value, rule.conditionHolds(observation.value) {
                alert.status = .firing
                alert.acknowledgement = nil
                transition(.refired, alert, at: observation.at)
                if !alert.isSnoozed(at: observation.at) { notify(.refired, alert, at: observation.at) }
            }
            active[key] = alert
        case .resolved:
            break
        }
    }

    mutating func start(_ observation: Observation) {
        let alert = AlertState(
            id: makeID(), ruleID: rule.id, ruleName: rule.name, source: rule.source,
            resource: observation.resource, severity: rule.severity, status: .pending,
            pendingSince: observation.at, lastEvaluatedAt: observation.at, value: observation.value,
            message: ""
        )
        createdIDs.insert(alert.id)
        active[observation.resource.key] = alert
        transition(.pending, alert, at: observation.at)
        promoteIfDue(observation.resource.key, at: observation.at, detail: observation.detail)
    }

    mutating func promoteIfDue(_ key: String, at: Date, detail: String?) {
        guard var alert = active[key], alert.status == .pending else { return }
        let since = alert.pendingSince ?? at
        let isEvent = if case .event = rule.trigger { true } else { false }
        guard isEvent || at.timeIntervalSince(since) >= rule.forDuration else { return }
        alert.status = .firing
        alert.firedAt = at
        alert.triggerValue = alert.value
        alert.message = AlertMessage.make(rule: rule, alert: alert, detail: detail)
        firedNow.insert(alert.id)
        transition(.fired, alert, at: at)
        active[key] = alert
    }

    mutating func resolve(_ alert: inout AlertState, by resolution: Resolution, at: Date) {
        alert.status = .resolved
        alert.resolvedAt = at
        alert.resolution = resolution
        alert.snoozedUntil = nil
        transition(.resolved, alert, at: at)
        // Only people who were told it fired hear that it resolved.
        if alert.notified && resolution != .ruleDisabled { notify(.resolved, alert, at: at) }
        resolved.append(alert)
    }

    /// A disabled rule has no opinion any more: its alerts end quietly.
    mutating func retireAll(now: Date) {
        for (key, var alert) in active {
            if alert.status == .pending {
                out.discardedAlertIDs.append(alert.id)
            } else {
                resolve(&alert, by: .ruleDisabled, at: now)
            }
            active[key] = nil
        }
    }

    /// Time-driven changes that need no new observation: snooze expiry, and telling people about
    /// firing alerts nobody has heard of yet (just fired, or maintenance has ended).
    mutating func finish(now: Date) {
        for key in active.keys.sorted() {
            guard var alert = active[key] else { continue }
            if let until = alert.snoozedUntil, until <= now {
                alert.snoozedUntil = nil
                touch(key)
                transition(.snoozeExpired, alert, at: now)
                if alert.status == .firing && alert.notified && !firedNow.contains(alert.id) {
                    notify(.refired, alert, at: now)
                }
            }
            if alert.status == .firing && !alert.notified && !alert.isSnoozed(at: now) {
                if !maintenance.covers(alert.resource) {
                    alert.notified = true
                    touch(key)
                    notify(.fired, alert, at: alert.lastEvaluatedAt)
                } else if firedNow.contains(alert.id) {
                    notify(.fired, alert, at: now)  // recorded as suppressed, once
                }
            }
            active[key] = alert
        }
    }

    func result() -> EvaluationResult {
        var out = out
        out.updatedAlerts = resolved + touched.compactMap { active[$0] }
        return out
    }
}
