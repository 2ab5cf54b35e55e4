import Foundation

/// Delivers messages with retries. Channels run concurrently, so a receiver that hangs or
/// refuses delays only its own messages; within one channel messages keep their order, so
/// "resolved" never overtakes the "fired" it follows.
///
/// Nothing here blocks evaluation: `submit` returns at once. Every attempt goes to `onAttempt`
/// (the delivery log); channel health changes go to `onHealth` (the `system` alert).
public actor NotificationDispatcher {
    public typealias AttemptHandler = @Sendable (DeliveryAttempt) async -> Void
    public typealias HealthHandler = @Sendable (ChannelHealthEvent) async -> Void

    private let sender: any NotificationSender
    private let policy: RetryPolicy
    private let clock: @Sendable () -> Date
    private let sleep: @Sendable (TimeInterval) async throws -> Void
    private let random: @Sendable () -> Double
    private let onAttempt: AttemptHandler
    private let onHealth: HealthHandler
    private var tails: [UUID: Task<Void, Never>] = [:]
    private var failing: Set<UUID> = []

    public init(
        sender: any NotificationSender, policy: RetryPolicy = RetryPolicy(),
        clock: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        onAttempt: @escaping AttemptHandler = { _ in }, onHealth: @escaping HealthHandler = { _ in }
    ) {
        self.sender = sender
        self.policy = policy
        self.clock = clock
        self.sleep = sleep
        self.random = random
        self.onAttempt = onAttempt
        self.onHealth = onHealth
    }

    /// Queues jobs and returns their tasks without waiting for delivery.
    @discardableResult
    public func submit(_ jobs: [DeliveryJob]) -> [Task<DeliveryOutcome, Never>] {
        jobs.map { job in
            let previous = tails[job.channelID]
            let task = Task<DeliveryOutcome, Never> {
                await previous?.value
                return await self.run(job)
            }
            tails[job.channelID] = Task { _ = await task.value }
            return task
        }
    }

    /// Queues jobs and waits for all of them (retries included).
    public func deliver(_ jobs: [DeliveryJob]) async -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        for task in submit(jobs) { outcomes.append(await task.value) }
        return outcomes
    }

    /// Waits for everything queued so far (shutdown, tests).
    public func waitUntilIdle() async {
        for tail in tails.values { await tail.value }
    }

    public var failingChannels: Set<UUID> { failing }

    private func run(_ job: DeliveryJob) async -> DeliveryOutcome {
        var attempt = 0
        while true {
            attempt += 1
            let started = clock()
            let result = await sender.send(job.message, to: job.channel, deliveryID: job.id).scrubbed(by: job.channel)
            let finished = clock()
            let retry = !result.ok && result.retryable && attempt < policy.maxAttempts && !Task.isCancelled
            let delay = retry ? policy.delay(afterAttempt: attempt, random: random()) : nil
            await onAttempt(DeliveryAttempt(
                deliveryID: job.id, channelID: job.channelID, channelKind: job.channel.service.kind,
                redactedURL: job.channel.redactedURL, alertIDs: job.alertIDs, event: job.message.event, attempt: attempt,
                startedAt: started, finishedAt: finished, result: result,
                nextAttemptAt: delay.map { finished.addingTimeInterval($0) }, triggeredAt: job.triggeredAt
            ))
            if result.ok {
                await markHealthy(job.channelID)
                return .delivered(attempts: attempt)
            }
            guard let delay else {
                await markFailing(job.channelID, error: result.error ?? "delivery failed")
                return .failed(attempts: attempt, last: result)
            }
            do {
                try await sleep(delay)
            } catch {
                return .failed(attempts: attempt, last: result)
            }
        }
    }

    private func markFailing(_ channel: UUID, error: String) async {
        guard failing.insert(channel).inserted else { return }
        await onHealth(.failing(channelID: channel, error: error))
    }

    private func markHealthy(_ channel: UUID) async {
        guard failing.remove(channel) != nil else { return }
        await onHealth(.recovered(channelID: channel))
    }
}
