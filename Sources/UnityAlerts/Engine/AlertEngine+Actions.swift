import Foundation

public struct AlertActionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var alertID: UUID
    public var reason: String

    public var description: String { "alert \(alertID.uuidString): \(reason)" }
}


/// What a person does to alerts. Each action returns the same `EvaluationResult` shape as an
/// evaluation, so the app persists and delivers both through one code path. Bulk calls apply to
/// every alert they can and list the rest in `rejected`.
extension AlertEngine {
    public struct ActionResult: Sendable, Hashable {
        public var result = EvaluationResult()
        public var rejected: [AlertActionError] = []
    }


    /// Acknowledge firing alerts. With `untilValueChanges`, the alert fires again as soon as an
    /// evaluation sees a different value that still meets the condition.
    public func acknowledge(
        _ alerts: [AlertState], by user: String, note: String?, untilValueChanges: Bool,
        channelIDs: [UUID], maintenance: Maintenance = .none, now: Date
    ) -> ActionResult {
        apply(alerts, channelIDs: channelIDs, maintenance: maintenance) { alert, run throws(AlertActionError) in
            guard alert.status == .firing || alert.status == .acknowledged else {
                throw AlertActionError(alertID: alert.id, reason: "only firing alerts can be acknowledged (it is \(alert.status.rawValue))")
            }
            let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            alert.status = .acknowledged
            alert.acknowledgement = Acknowledgement(
                by: user, at: now, note: note?.isEmpty == true ? nil : note,
                untilValueChanges: untilValueChanges, value: alert.value
            )
            run.transition(.acknowledged, alert, at: now)
            if alert.notified { run.notify(.acknowledged, alert, at: now) }
        }
    }


    /// Silence notifications until `until`; the alert keeps its state and still resolves. When the
    /// snooze runs out and the alert is still firing, the next evaluation notifies again.
    public func snooze(
        _ alerts: [AlertState], until: Date, channelIDs: [UUID], now: Date
    ) -> ActionResult {
        apply(alerts, channelIDs: channelIDs, maintenance: .none) { alert, run throws(AlertActionError) in
            guard alert.status == .firing || alert.status == .acknowledged else {
                throw AlertActionError(alertID: alert.id, reason: "only firing or acknowledged alerts can be snoozed")
            }
            guard until > now else { throw AlertActionError(alertID: alert.id, reason: "snooze must end in the future") }
            alert.snoozedUntil = until
            run.transition(.snoozed, alert, at: now)
        }
    }


    /// Resolve by hand. If the condition still holds, the next evaluation opens a new alert
    /// (after the rule's for-duration): resolving says "fixed", not "stop telling me".
    public func resolve(
        _ alerts: [AlertState], by user: String, channelIDs: [UUID], maintenance: Maintenance = .none, now: Date
    ) -> ActionResult {
        apply(alerts, channelIDs: channelIDs, maintenance: maintenance) { alert, run throws(AlertActionError) in
            guard alert.status.isActive else { throw AlertActionError(alertID: alert.id, reason: "already resolved") }
            if alert.status == .pending {
                // Nobody has seen a pending alert; resolving it is just forgetting it.
                run.out.discardedAlertIDs.append(alert.id)
                return
            }
            run.resolve(&alert, by: .user(user), at: now)
        }
    }


    private func apply(
        _ alerts: [AlertState], channelIDs: [UUID], maintenance: Maintenance,
        _ body: (inout AlertState, inout Run) throws(AlertActionError) -> Void
    ) -> ActionResult {
        var action = ActionResult()
        for original in alerts {
            var alert = original
            // A throwaway rule only carries the channels; actions never read thresholds.
            let carrier = AlertRule(
                id: alert.ruleID, name: alert.ruleName, source: alert.source, trigger: .event(""),
                comparison: .equal, threshold: 0, severity: alert.severity, channelIDs: channelIDs
            )
            var run = Run(rule: carrier, maintenance: maintenance, makeID: makeID)
            do {
                try body(&alert, &run)
            } catch {
                action.rejected.append(error)
                continue
            }
            action.result.transitions += run.out.transitions
            action.result.notifications += run.out.notifications
            action.result.suppressed += run.out.suppressed
            action.result.discardedAlertIDs += run.out.discardedAlertIDs
            if run.out.discardedAlertIDs.isEmpty { action.result.updatedAlerts.append(alert) }
        }
        return action
    }
}


/// What a rule would do right now, for the dry-run endpoint.
public struct DryRunReport: Sendable, Hashable {
    /// Alerts that would fire (for-duration treated as already met: the question is "does this
    /// threshold catch the right things", not "when").
    public var wouldFire: [AlertState]
    /// Resources already alerting for this rule that would stay active.
    public var stillActive: [AlertState]
    public var wouldResolve: [AlertState]
    public var notifications: [NotificationIntent]
}


extension AlertEngine {
    /// Evaluates `rule` as if it were enabled, against current observations, and returns the
    /// outcome. Nothing is persisted and nothing is sent: the caller must not store or deliver
    /// anything from the report (the alert ids in it are throwaway).
    public func dryRun(rule: AlertRule, observations: [Observation], existing: [AlertState], now: Date) -> DryRunReport {
        var probe = rule
        probe.enabled = true
        probe.forDuration = 0
        let result = evaluate(rule: probe, observations: observations, existing: existing, now: now)
        let fired = Set(result.transitions.filter { $0.kind == .fired }.map(\.alertID))
        let active = result.updatedAlerts.filter { $0.status.isActive }
        return DryRunReport(
            wouldFire: active.filter { fired.contains($0.id) },
            stillActive: active.filter { !fired.contains($0.id) },
            wouldResolve: result.updatedAlerts.filter { $0.status == .resolved },
            notifications: result.notifications
        )
    }
}
