import Foundation
import Testing
import UnityTestSupport
@testable import UnityAlerts

/// The test target depends on UnityAlerts only, so a lock from Foundation, not NIO.
final class Recorder<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ value: T) { lock.withLock { items.append(value) } }
    var values: [T] { lock.withLock { items } }
}


/// A sender that answers from a script, for behaviour that needs no network.
struct ScriptedSender: NotificationSender {
    let answers: @Sendable (UUID) -> DeliveryResult
    func send(_ message: RenderedMessage, to channel: ChannelConfig, deliveryID: UUID) async -> DeliveryResult { answers(deliveryID) }
}


@Suite(.serialized) struct DispatcherTests {
    func job(_ url: String, channel: UUID = channelA) throws -> DeliveryJob {
        DeliveryJob(channelID: channel, channel: try ChannelURL.parse(url), message: try HTTPChannelTests.firedMessage(), triggeredAt: Date())
    }

    @Test func backoffGrowsExponentiallyWithBoundedJitter() {
        let policy = RetryPolicy(maxAttempts: 6, initialDelay: 2, multiplier: 2, maxDelay: 20, jitter: 0.25)
        #expect((1...5).map { policy.delay(afterAttempt: $0, random: 0.5) } == [2, 4, 8, 16, 20])
        #expect(policy.delay(afterAttempt: 1, random: 0) == 1.5 && policy.delay(afterAttempt: 1, random: 0.999_999) < 2.5)
    }

    @Test func aReceiverAnswering500ThenIs200GetsTheMessageOnTheSecondAttempt() async throws {
        try await withPeer(script: "http_receiver.py", arguments: ["--statuses", "500,200"]) { peer in
            let sender = ChannelSender(timeout: .seconds(5))
            let attempts = Recorder<DeliveryAttempt>()
            let waits = Recorder<TimeInterval>()
            let dispatcher = NotificationDispatcher(
                sender: sender, policy: RetryPolicy(maxAttempts: 4, initialDelay: 1.5, jitter: 0),
                sleep: { waits.append($0) }, onAttempt: { attempts.append($0) }
            )
            let outcome = await dispatcher.deliver([try job("generic+http://127.0.0.1:\(peer.port)/hook?secret=UNITYCANARY-s")])
            await sender.shutdown()
            #expect(outcome == [.delivered(attempts: 2)])
            #expect(attempts.values.map(\.result.httpStatus) == [500, 200] && waits.values == [1.5])
            #expect(attempts.values[0].nextAttemptAt != nil && attempts.values[1].nextAttemptAt == nil)
            #expect(Set(attempts.values.map(\.deliveryID)).count == 1 && attempts.values.allSatisfy { $0.latency != nil })
            #expect(attempts.values.allSatisfy { !$0.redactedURL.contains("UNITYCANARY") })
            #expect(try await peer.records(atLeast: 2).count == 2)
        }
    }

    @Test func aHangingReceiverDoesNotDelayOtherChannels() async throws {
        try await withPeer(script: "http_receiver.py", arguments: ["--delay", "3"]) { slow in
            try await withPeer(script: "http_receiver.py") { fast in
                let sender = ChannelSender(timeout: .seconds(10))
                let done = Recorder<UUID>()
                let dispatcher = NotificationDispatcher(sender: sender, onAttempt: { done.append($0.channelID) })
                let started = Date()
                let tasks = await dispatcher.submit([
                    try job("http://127.0.0.1:\(slow.port)/slow", channel: channelA),
                    try job("http://127.0.0.1:\(fast.port)/fast", channel: channelB),
                ])
                let fastOutcome = await tasks[1].value
                #expect(fastOutcome.delivered && Date().timeIntervalSince(started) < 2)
                #expect(done.values == [channelB])
                await dispatcher.waitUntilIdle()
                #expect(done.values == [channelB, channelA])
                await sender.shutdown()
            }
        }
    }

    @Test func aFailingChannelIsReportedOnceAndItsRecoveryOnce() async throws {
        let calls = Recorder<Int>()
        let sender = ScriptedSender { _ in
            calls.append(1)
            return calls.values.count <= 4 ? DeliveryResult(ok: false, httpStatus: 503, error: "HTTP 503") : .http(200)
        }
        let health = Recorder<ChannelHealthEvent>()
        let dispatcher = NotificationDispatcher(
            sender: sender, policy: RetryPolicy(maxAttempts: 2), sleep: { _ in }, onHealth: { health.append($0) }
        )
        let url = "discord://t@1?apiurl=http://127.0.0.1:9"
        let outcomes = await dispatcher.deliver([try job(url), try job(url)])
        #expect(outcomes.allSatisfy { !$0.delivered })
        #expect(health.values == [.failing(channelID: channelA, error: "HTTP 503")])
        #expect(await dispatcher.failingChannels == [channelA])
        _ = await dispatcher.deliver([try job(url)])
        #expect(health.values.last == .recovered(channelID: channelA) && health.values.count == 2)
    }

    @Test func channelHealthFeedsTheSystemRule() {
        var h = Harness(rule: SystemRules.notificationChannelFailing)
        h.rule.channelIDs = [channelB]
        h.observe(ChannelHealthEvent.failing(channelID: channelA, error: "HTTP 503").observation(channelName: "ops ntfy", at: at(0)))
        h.observe(ChannelHealthEvent.failing(channelID: channelA, error: "HTTP 503").observation(channelName: "ops ntfy", at: at(60)))
        #expect(h.active.count == 1 && h.active[0].source == .system && h.sent(.fired).count == 1)
        #expect(h.active[0].message == "Notification channel ops ntfy is failing: HTTP 503")
        h.observe(ChannelHealthEvent.recovered(channelID: channelA).observation(channelName: "ops ntfy", at: at(120)))
        #expect(h.active.isEmpty && h.sent(.resolved).count == 1)
    }

    /// The whole path the app will wire: evaluation → batcher → renderer → dispatcher → receiver.
    /// The latency is recorded for the app's bench (docs), not asserted: timing bounds flake on CI.
    @Test func anObservationTravelsTheWholePipelineToTheWebhook() async throws {
        try await withPeer(script: "http_receiver.py") { peer in
            let sender = ChannelSender(timeout: .seconds(5))
            let attempts = Recorder<DeliveryAttempt>()
            let dispatcher = NotificationDispatcher(sender: sender, onAttempt: { attempts.append($0) })
            let channel = try ChannelURL.parse("http://127.0.0.1:\(peer.port)/unity")
            let now = Date()
            let result = AlertEngine().evaluate(rule: diskRule(channels: [channelA]), observations: [usage(95, 0).at(now)], existing: [], now: now)
            var batcher = NotificationBatcher()
            let renderer = MessageRenderer(baseURL: "https://unity.lan")
            let jobs = batcher.submit(result.notifications, now: now).map {
                DeliveryJob(channelID: $0.channelID, channel: channel, message: renderer.render($0), triggeredAt: $0.intents.first?.triggeredAt)
            }
            _ = await dispatcher.deliver(jobs)
            await sender.shutdown()
            let latency = try #require(attempts.values.first?.latency)
            #expect(latency >= 0 && attempts.values.first?.result.ok == true)
            #expect(try await peer.records(atLeast: 1).count == 1)
        }
    }
}

extension Observation {
    func at(_ date: Date) -> Observation {
        var copy = self
        copy.at = date
        return copy
    }
}
