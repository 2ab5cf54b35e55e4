import Foundation
import Testing
@testable import UnityAlerts

@Suite struct AlertActionTests {
    @Test func acknowledgeUntilTheValueChangesThenNotifyAgain() throws {
        var h = Harness(rule: diskRule())
        h.observe(usage(95, 0))
        let ack = h.engine.acknowledge(h.active, by: "ana", note: " bad cable, replacing ", untilValueChanges: true, channelIDs: h.rule.channelIDs, now: at(10))
        h.persist(ack.result)
        #expect(h.active.first?.acknowledgement?.note == "bad cable, replacing")
        #expect(h.sent(.acknowledged).count == 2)
        h.observe(usage(95, 60))
        h.observe(usage(95, 120))
        #expect(h.sent.count == 4 && h.active.first?.status == .acknowledged)
        let changed = h.observe(usage(96, 180))
        #expect(changed.transitions.map(\.kind) == [.valueChanged, .refired])
        #expect(h.sent(.refired).count == 2 && h.active.first?.status == .firing)
        h.observe(usage(96, 240))
        #expect(h.sent.count == 6)
    }

    @Test func aPlainAcknowledgementHoldsUntilResolved() {
        var h = Harness(rule: diskRule(clear: 80))
        h.observe(usage(95, 0))
        h.persist(h.engine.acknowledge(h.active, by: "ana", note: nil, untilValueChanges: false, channelIDs: h.rule.channelIDs, now: at(5)).result)
        h.observe(usage(99, 60))
        h.observe(usage(85, 120))
        #expect(h.sent.count == 4 && h.active.first?.status == .acknowledged)
        h.observe(usage(70, 180))
        #expect(h.sent(.resolved).count == 2)
    }

    @Test func anAckUntilChangeDoesNotRefireOnImprovementInsideTheBand() {
        var h = Harness(rule: diskRule(clear: 80))
        h.observe(usage(95, 0))
        h.persist(h.engine.acknowledge(h.active, by: "ana", note: nil, untilValueChanges: true, channelIDs: h.rule.channelIDs, now: at(5)).result)
        h.observe(usage(85, 60))
        #expect(h.sent(.refired).isEmpty && h.active.first?.status == .acknowledged)
    }

    @Test func aSnoozeSilencesUntilItExpiresThenNotifiesOnce() {
        var h = Harness(rule: diskRule())
        h.observe(usage(95, 0))
        let snooze = h.engine.snooze(h.active, until: at(600), channelIDs: h.rule.channelIDs, now: at(10))
        #expect(snooze.result.notifications.isEmpty)
        h.persist(snooze.result)
        h.observe(usage(97, 300))
        h.observe([], now: at(599))
        #expect(h.sent.count == 2)
        let expiry = h.observe([], now: at(600))
        #expect(expiry.transitions.map(\.kind) == [.snoozeExpired])
        #expect(h.sent(.refired).count == 2 && h.active.first?.snoozedUntil == nil)
        h.observe([], now: at(900))
        #expect(h.sent.count == 4)
    }

    @Test func aSnoozedAlertThatClearsStillResolves() {
        var h = Harness(rule: diskRule())
        h.observe(usage(95, 0))
        h.persist(h.engine.snooze(h.active, until: at(600), channelIDs: h.rule.channelIDs, now: at(10)).result)
        h.observe(usage(50, 60))
        #expect(h.active.isEmpty && h.sent(.resolved).count == 2)
    }

    @Test func manualResolveNotifiesAndAPersistingConditionOpensANewAlert() {
        var h = Harness(rule: diskRule())
        h.observe(usage(95, 0))
        let first = h.active[0].id
        h.persist(h.engine.resolve(h.active, by: "ana", channelIDs: h.rule.channelIDs, now: at(30)).result)
        #expect(h.stored[first]?.resolution == .user("ana") && h.sent(.resolved).count == 2)
        h.observe(usage(95, 60))
        #expect(h.active.count == 1 && h.active[0].id != first && h.sent(.fired).count == 4)
    }

    @Test func bulkActionsApplyWhereTheyCanAndListTheRest() {
        var h = Harness(rule: diskRule())
        h.observe([usage(95, 0), usage(95, 0, pi)], now: at(0))
        h.persist(h.engine.resolve([h.active[0]], by: "ana", channelIDs: [], now: at(5)).result)
        let all = Array(h.stored.values)
        let ack = h.engine.acknowledge(all, by: "bo", note: nil, untilValueChanges: false, channelIDs: [], now: at(6))
        #expect(ack.result.updatedAlerts.count == 1 && ack.rejected.count == 1)
        #expect(ack.rejected[0].reason.contains("resolved"))
        let pastSnooze = h.engine.snooze(h.active, until: at(1), channelIDs: [], now: at(6))
        #expect(pastSnooze.rejected.count == 1)
    }

    @Test func maintenanceRecordsAlertsButHoldsNotificationsUntilItEnds() {
        var h = Harness(rule: diskRule())
        h.maintenance = Maintenance(global: true)
        let during = h.observe(usage(95, 0))
        #expect(h.active.map(\.status) == [.firing] && h.sent.isEmpty)
        #expect(during.suppressed.count == 2)
        h.observe(usage(96, 60))
        #expect(h.suppressed.count == 2)
        h.maintenance = .none
        h.observe(usage(96, 120))
        #expect(h.sent(.fired).count == 2 && h.sent[0].alert.notified)
        h.observe(usage(97, 180))
        #expect(h.sent.count == 2)
    }

    @Test func perServerMaintenanceCoversThatServersResources() {
        var h = Harness(rule: diskRule())
        h.maintenance = Maintenance(servers: ["nas"])
        h.observe([usage(95, 0), usage(95, 0, pi)], now: at(0))
        #expect(h.sent.map(\.alert.resource) == [pi, pi])
        #expect(h.suppressed.map(\.alert.resource) == [nas, nas])
        // An alert that fired unseen also resolves unseen.
        h.observe(usage(10, 60))
        #expect(h.sent(.resolved).isEmpty && h.suppressed(.resolved).isEmpty)
    }

    @Test func dryRunReportsWhatWouldFireWithoutForDuration() {
        let engine = counterEngine()
        var rule = diskRule(forDuration: 3600)
        rule.enabled = false
        let report = engine.dryRun(rule: rule, observations: [usage(95, 0), usage(10, 0, pi)], existing: [], now: at(0))
        #expect(report.wouldFire.map(\.resource) == [nas] && report.stillActive.isEmpty)
        #expect(report.notifications.count == 2 && report.wouldResolve.isEmpty)
    }
}

extension Harness {
    func suppressed(_ event: NotificationEvent) -> [NotificationIntent] { suppressed.filter { $0.event == event } }
}
