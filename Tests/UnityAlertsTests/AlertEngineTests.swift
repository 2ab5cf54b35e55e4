import Foundation
import Testing
@testable import UnityAlerts

@Suite struct AlertEngineTests {
    /// Acceptance 2: one notification per channel per crossing, silence while it stays bad,
    /// one "resolved" per channel when it clears.
    @Test func aCrossingNotifiesEachChannelOnceUntilTheStateChanges() {
        var h = Harness(rule: diskRule())
        let first = h.observe(usage(95, 0))
        #expect(first.transitions.map(\.kind) == [.pending, .fired])
        #expect(h.sent.map(\.channelID) == [channelA, channelB])
        #expect(h.sent.allSatisfy { $0.event == .fired && $0.triggeredAt == at(0) })
        for (i, value) in [96.0, 97, 95, 99].enumerated() { h.observe(usage(value, Double(i + 1) * 60)) }
        #expect(h.sent.count == 2)
        #expect(h.active.count == 1 && h.active[0].value == 99 && h.active[0].triggerValue == 95)
        h.observe(usage(40, 600))
        #expect(h.sent(.resolved).map(\.channelID) == [channelA, channelB])
        #expect(h.active.isEmpty && h.stored.count == 1)
        h.observe(usage(41, 660))
        #expect(h.sent.count == 4)
    }

    @Test func theConditionMustHoldForTheDurationBeforeFiring() {
        var h = Harness(rule: diskRule(forDuration: 300))
        h.observe(usage(95, 0))
        #expect(h.active.map(\.status) == [.pending] && h.sent.isEmpty)
        h.observe(usage(96, 299))
        #expect(h.active.map(\.status) == [.pending] && h.sent.isEmpty)
        h.observe(usage(96, 300))
        #expect(h.active.map(\.status) == [.firing])
        #expect(h.active[0].pendingSince == at(0) && h.active[0].firedAt == at(300))
        #expect(h.sent(.fired).count == 2)
    }

    @Test func aBlipShorterThanTheDurationLeavesNoTrace() {
        var h = Harness(rule: diskRule(forDuration: 300))
        h.observe(usage(95, 0))
        let cleared = h.observe(usage(50, 120))
        #expect(cleared.transitions.map(\.kind) == [.pendingCleared])
        #expect(cleared.discardedAlertIDs.count == 1 && h.stored.isEmpty && h.sent.isEmpty)
        // A blip inside one batch is not stored at all.
        let batch = h.observe([usage(95, 200), usage(20, 260)], now: at(260))
        #expect(batch.updatedAlerts.isEmpty && batch.discardedAlertIDs.isEmpty)
    }

    @Test func hysteresisResolvesOnlyPastTheClearThreshold() {
        var h = Harness(rule: diskRule(threshold: 90, clear: 80))
        h.observe(usage(92, 0))
        h.observe(usage(85, 60))
        h.observe(usage(89.9, 120))
        #expect(h.active.map(\.status) == [.firing] && h.sent(.resolved).isEmpty)
        h.observe(usage(80, 180))
        #expect(h.active.isEmpty && h.sent(.resolved).count == 2)
        // Flapping around the firing threshold after resolving needs a fresh crossing.
        h.observe(usage(91, 240))
        #expect(h.active.count == 1 && h.stored.count == 2 && h.sent(.fired).count == 4)
    }

    @Test func oneActiveAlertPerRuleAndResource() {
        var h = Harness(rule: diskRule())
        let result = h.observe([usage(95, 0), usage(96, 1), usage(97, 2), usage(91, 0, pi)], now: at(2))
        #expect(result.updatedAlerts.count == 2)
        #expect(Set(h.active.map(\.resource.key)) == [nas.key, pi.key])
        #expect(h.sent.count == 4)
        // A renamed resource is still the same alert.
        var renamed = nas
        renamed.name = "nas (renamed)"
        h.observe(usage(98, 60, renamed))
        #expect(h.active.count == 2 && h.active.contains { $0.resource.name == "nas (renamed)" })
    }

    @Test func duplicateRowsInStorageCollapseToTheOlderAlert() {
        let engine = counterEngine()
        let rule = diskRule()
        func alert(_ id: Int, firedAt: TimeInterval) -> AlertState {
            AlertState(id: UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", 100 + id)) ?? UUID(),
                       ruleID: rule.id, ruleName: rule.name, source: .infrastructure, resource: nas, severity: .warning,
                       status: .firing, firedAt: at(firedAt), lastEvaluatedAt: at(firedAt), value: 95, message: "", notified: true)
        }
        let result = engine.evaluate(rule: rule, observations: [usage(96, 100)], existing: [alert(2, firedAt: 50), alert(1, firedAt: 10)], now: at(100))
        #expect(result.updatedAlerts.map(\.firedAt) == [at(10)] && result.notifications.isEmpty)
    }

    @Test func missingDataIsNotAllClear() {
        var h = Harness(rule: diskRule())
        h.observe(usage(95, 0))
        h.observe([], now: at(3600))
        h.observe([usage(10, 3600, pi)], now: at(3600))
        #expect(h.active.map(\.resource) == [nas] && h.sent(.resolved).isEmpty)
    }

    @Test func eventRulesFireOnTheFirstOccurrence() {
        var rule = diskRule(threshold: 1, forDuration: 3600)
        rule.trigger = .event("cert.renewal_failed")
        rule.comparison = .equal
        var h = Harness(rule: rule)
        h.observe(Observation(resource: pi, key: "cert.renewal_failed", value: 1, detail: "renewal of pi.lan failed: DNS timeout", at: at(0)))
        #expect(h.active.first?.status == .firing && h.active.first?.message == "renewal of pi.lan failed: DNS timeout")
        h.observe(Observation(resource: pi, key: "cert.renewal_failed", value: 0, at: at(60)))
        #expect(h.active.isEmpty && h.sent(.resolved).count == 2)
    }

    @Test func targetsSelectByTagOrResource() {
        var byTag = Harness(rule: diskRule(target: .tag("prod")))
        byTag.observe([usage(95, 0, tags: ["prod"]), usage(95, 0, pi, tags: ["lab"])], now: at(0))
        #expect(byTag.active.map(\.resource) == [nas])
        var byResource = Harness(rule: diskRule(target: .resources([pi.key])))
        byResource.observe([usage(95, 0, tags: ["prod"]), usage(95, 0, pi)], now: at(0))
        #expect(byResource.active.map(\.resource) == [pi])
    }

    @Test func disablingARuleEndsItsAlertsQuietly() {
        var h = Harness(rule: diskRule())
        h.observe(usage(95, 0))
        h.rule.enabled = false
        let result = h.observe(usage(99, 60))
        #expect(result.updatedAlerts.map(\.resolution) == [.ruleDisabled] && result.notifications.isEmpty)
        #expect(h.active.isEmpty)
    }

    @Test func theDefaultMessageSaysWhatWhereAndValue() {
        var h = Harness(rule: diskRule())
        h.observe(usage(93.456, 0))
        #expect(h.active.first?.message == "Disk usage: nas /dev/sda is 93.46 (>= 90)")
        h.rule.messageTemplate = "{{resource}} is {{value}}% full"
        h.observe(usage(10, 60))
        h.observe(usage(95, 120))
        #expect(h.active.first?.message == "nas /dev/sda is 95% full")
    }

    @Test func rulesThatCouldNeverResolveAreRejectedNamingTheField() {
        #expect(throws: RuleValidationError(field: "clear_threshold", reason: "must be on the other side of the threshold (>= 90)")) {
            try diskRule(threshold: 90, clear: 95).validate()
        }
        var equal = diskRule(clear: 1)
        equal.comparison = .equal
        #expect(throws: RuleValidationError.self) { try equal.validate() }
        #expect(throws: RuleValidationError.self) { try diskRule(target: .resources([])).validate() }
        #expect(throws: RuleValidationError.self) { try diskRule(forDuration: -1).validate() }
        #expect(throws: Never.self) { try diskRule(clear: 80, forDuration: 60).validate() }
    }

    @Test(arguments: [
        (ComparisonOperator.greaterThan, 5.0, true), (.greaterThan, 4, false), (.greaterOrEqual, 4, true),
        (.lessThan, 3, true), (.lessThan, 4, false), (.lessOrEqual, 4, true), (.equal, 4, true), (.notEqual, 4, false),
    ])
    func operatorsCompareValueToThreshold(op: ComparisonOperator, value: Double, holds: Bool) {
        #expect(op.holds(value, 4) == holds)
    }
}
