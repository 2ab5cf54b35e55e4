import Foundation
import UnityRegistry

/// Everything preflight gathered about one request, so the decision itself is a pure function.
public struct PreflightFacts: Sendable, Equatable {
    public var request: UpdateRequest
    public var policy: EffectivePolicy
    /// The candidate's kind from update detection; nil when the candidate is not the one detected.
    public var kind: UpdateKind?
    /// When the candidate was first seen (the notification ledger's `created_at`); nil = unknown age.
    public var firstSeenAt: Date?
    /// `HostGate.reasons` of the container's server (empty = healthy or no snapshot).
    public var hostGateReasons: [String]
    /// An operator approved this exact candidate (and the approval is not expired or used).
    public var approved: Bool

    public init(request: UpdateRequest, policy: EffectivePolicy, kind: UpdateKind?, firstSeenAt: Date?,
                hostGateReasons: [String] = [], approved: Bool = false) {
        self.request = request; self.policy = policy; self.kind = kind; self.firstSeenAt = firstSeenAt
        self.hostGateReasons = hostGateReasons; self.approved = approved
    }
}

/// The decision, in this order:
/// 1. kind not allowed → refused (every trigger: a person cannot "update now" into a major the
///    policy forbids; they change the policy first);
/// 2. approval: an `approve` policy, or an approval-triggered run, needs an approval of this
///    candidate; `notify` never applies on its own; manual requests skip this;
/// 3. deferrals, all reasons together: host gates, minimum release age (not for manual requests;
///    unknown age defers), the maintenance window (manual requests skip it only with
///    `overrideWindow`, which the API grants to admins only);
/// 4. otherwise proceed with the policy's options.
public enum PolicyDecision {
    public static func decide(_ facts: PreflightFacts, now: Date) -> UpdatePreflightVerdict {
        let request = facts.request
        let policy = facts.policy
        let manual = request.trigger == .manual

        guard let kind = facts.kind else {
            return .deferred(reason: "the candidate is not the update detection found; wait for the next update check", until: nil)
        }
        guard policy.allowedKinds.value.contains(kind) else {
            let allowed = policy.allowedKinds.value.map(\.rawValue).joined(separator: ", ")
            return .refused(reason: "\(kind.rawValue) updates are not allowed by policy \(policy.allowedKinds.source.name) (allowed: \(allowed))")
        }

        if !manual {
            switch (request.trigger, policy.mode.value) {
            case (.policy, .notify):
                return .refused(reason: "policy \(policy.mode.source.name) only notifies; update by hand or set mode approve or auto")
            case (.policy, .approve), (.approval, _):
                if !facts.approved { return .needsApproval(reason: "policy \(policy.mode.source.name) asks for an operator's approval") }
            default:
                break
            }
        }

        var reasons: [String] = facts.hostGateReasons
        var untils: [Date?] = facts.hostGateReasons.map { _ in nil }
        let minimumAge = policy.minimumReleaseAgeSeconds.value
        if !manual, minimumAge > 0 {
            if let firstSeen = facts.firstSeenAt {
                let ready = firstSeen.addingTimeInterval(TimeInterval(minimumAge))
                if ready > now {
                    reasons.append("the candidate was first seen \(Self.span(now.timeIntervalSince(firstSeen))) ago; policy \(policy.minimumReleaseAgeSeconds.source.name) waits \(Self.span(TimeInterval(minimumAge)))")
                    untils.append(ready)
                }
            } else {
                reasons.append("the candidate's release age is unknown; policy \(policy.minimumReleaseAgeSeconds.source.name) waits \(Self.span(TimeInterval(minimumAge)))")
                untils.append(nil)
            }
        }
        let schedule = policy.schedule
        if !(manual && request.overrideWindow), !schedule.isOpen(at: now) {
            let next = schedule.nextOccurrence(after: now)
            reasons.append("outside the maintenance window of policy \(policy.windows.source.name)")
            untils.append(next?.start)
        }
        if !reasons.isEmpty {
            // Known only when every reason has an end: the latest of them.
            let until: Date? = untils.contains { $0 == nil } ? nil : untils.compactMap { $0 }.max()
            return .deferred(reason: reasons.joined(separator: "; "), until: until)
        }
        return .proceed(policy.applyOptions)
    }

    /// `3 d 4 h`, `2 h 5 min`, `40 s`: for reasons people read.
    static func span(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds))
        let days = total / 86400, hours = total % 86400 / 3600, minutes = total % 3600 / 60
        if days > 0 { return hours > 0 ? "\(days) d \(hours) h" : "\(days) d" }
        if hours > 0 { return minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h" }
        if minutes > 0 { return "\(minutes) min" }
        return "\(total) s"
    }
}
