import Foundation
import Testing
@testable import UnityAlerts

@Suite struct NotificationBatcherTests {
    func intents(_ count: Int, channel: UUID = channelA) -> [NotificationIntent] {
        var h = Harness(rule: diskRule(channels: [channel]))
        let resources = (0..<count).map { ResourceRef(type: "container", id: "c\($0)", name: "c\($0)", serverID: "nas") }
        h.observe(resources.map { usage(95, 0, $0) }, now: at(0))
        return h.sent
    }

    @Test func aStormBecomesTheFirstFewPlusOneSummaryPerChannel() {
        var batcher = NotificationBatcher(limit: 3, window: 60)
        let out = batcher.submit(intents(10) + intents(2, channel: channelB), now: at(0))
        #expect(out.filter { $0.channelID == channelA }.count == 3)
        #expect(out.filter { $0.channelID == channelB }.count == 2)
        #expect(batcher.heldCount == 7 && batcher.nextFlush == at(60))
        #expect(batcher.flush(now: at(59)).isEmpty)
        let summary = batcher.flush(now: at(60))
        #expect(summary.count == 1 && summary[0].channelID == channelA && summary[0].intents.count == 7)
        if case .summary = summary[0] {} else { Issue.record("expected a summary") }
        #expect(batcher.nextFlush == nil)
    }

    @Test func quietChannelsSendEverythingAtOnce() {
        var batcher = NotificationBatcher(limit: 3, window: 60)
        #expect(batcher.submit(intents(3), now: at(0)).count == 3)
        #expect(batcher.submit(intents(1), now: at(30)).isEmpty)
        #expect(batcher.flush(now: at(90)).map(\.intents.count) == [1])
        // The window slides: an hour later the channel is quiet again.
        #expect(batcher.submit(intents(2), now: at(3600)).count == 2)
        #expect(batcher.drain().isEmpty)
    }
}


@Suite struct TemplateTests {
    @Test func placeholdersAreSubstitutedAndUnknownOnesRenderEmpty() {
        let values = ["resource": "nas", "value": "91"]
        #expect(TemplateRenderer.render("{{resource}} at {{ value }}%{{nope}}", values: values) == "nas at 91%")
        #expect(TemplateRenderer.render("open {{resource", values: values) == "open {{resource")
        #expect(TemplateRenderer.render("{{value}}{{value}}", values: values) == "9191")
        #expect(TemplateRenderer.placeholders(in: "a {{x}} b {{ y }}") == ["x", "y"])
    }

    @Test func theDefaultFiredMessageSaysWhatWhereValueAndLinksBack() throws {
        var h = Harness(rule: diskRule())
        h.observe(usage(95, 0))
        let renderer = MessageRenderer(baseURL: "https://unity.lan/")
        let message = renderer.render(try #require(h.sent.first))
        #expect(message.title == "[warning] Disk usage on nas /dev/sda")
        #expect(message.body.contains("Value: 95"))
        #expect(message.body.contains("Resource: nas /dev/sda (disk)"))
        #expect(message.body.hasSuffix("https://unity.lan/alerts/00000000-0000-0000-0000-000000000001"))
        #expect(message.link == "https://unity.lan/alerts/00000000-0000-0000-0000-000000000001")
    }

    @Test func resolvedAckAndSummaryMessages() throws {
        var h = Harness(rule: diskRule(channels: [channelA]))
        h.observe(usage(95, 0))
        h.persist(h.engine.acknowledge(h.active, by: "ana", note: "on it", untilValueChanges: false, channelIDs: [channelA], now: at(1)).result)
        h.observe(usage(10, 60))
        let renderer = MessageRenderer(baseURL: nil)
        let ack = renderer.render(try #require(h.sent(.acknowledged).first))
        #expect(ack.body.hasPrefix("ana acknowledged Disk usage on nas /dev/sda.\nNote: on it"))
        let resolved = renderer.render(try #require(h.sent(.resolved).first))
        #expect(resolved.title == "Resolved: Disk usage on nas /dev/sda" && resolved.link == nil)
        #expect(!resolved.body.hasSuffix("\n"))
        let summary = renderer.renderSummary(h.sent)
        #expect(summary.title == "3 alert notifications")
        #expect(summary.body.contains("- resolved: [warning] Disk usage on nas /dev/sda (10)"))
    }

    @Test func overridesReplaceOnlyTheirEvent() throws {
        var h = Harness(rule: diskRule(channels: [channelA]))
        h.observe(usage(95, 0))
        let templates = NotificationTemplates(overrides: [.fired: MessageTemplate(title: "{{resource}}!", body: "{{value}}")])
        let message = MessageRenderer(templates: templates, baseURL: nil).render(try #require(h.sent.first))
        #expect(message.title == "nas /dev/sda!" && message.body == "95")
        #expect(templates.templates[.resolved] == NotificationTemplates.defaults[.resolved])
    }
}
