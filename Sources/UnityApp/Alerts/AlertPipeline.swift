import Fluent
import Foundation
import Logging
import UnityAlerts
import UnityCore

/// The one path from "a feature saw a value" to stored alerts, live updates and notifications.
///
/// Evaluations and alert actions run one at a time (a chain of tasks), so two collections
/// finishing together can never open two alerts for the same rule and resource. Delivery is
/// handed to the `NotificationDispatcher` and never waited for: a hanging receiver delays only
/// its own channel, never evaluation.
actor AlertPipeline {
    let engine = AlertEngine()
    let events = AlertEventHub()
    let database: @Sendable () -> any Database
    let secrets: SecretBox
    let logger: Logger
    private let sender: any NotificationSender
    private let publicURL: String?
    private var batcher: NotificationBatcher
    private var dispatcherStorage: NotificationDispatcher?
    private var flushTask: Task<Void, Never>?
    private var tail: Task<Void, Never>?

    init(database: @escaping @Sendable () -> any Database, secrets: SecretBox, publicURL: String?, logger: Logger,
         sender: any NotificationSender, burst: Int = 5, window: TimeInterval = 60) {
        self.batcher = NotificationBatcher(limit: burst, window: window)
        self.database = database
        self.secrets = secrets
        self.logger = logger
        self.sender = sender
        self.publicURL = publicURL
    }

    // MARK: Observations

    /// Records the latest values and evaluates every enabled rule that watches their keys.
    func observe(_ observations: [Observation]) async throws {
        guard !observations.isEmpty else { return }
        try await serialized { try await self.evaluate(observations) }
    }

    private func evaluate(_ observations: [Observation]) async throws {
        let db = database()
        try await LatestObservations.record(observations, on: db)
        let keys = Array(Set(observations.map(\.key)))
        let records = try await AlertRuleRecord.query(on: db).filter(\.$triggerKey ~~ keys).all()
        let maintenance = try await MaintenanceStore.load(on: db)
        let everywhere = try await channelsForAllRules(on: db)
        var combined = EvaluationResult()
        for record in records {
            guard var rule = record.rule else { continue }
            rule.channelIDs = Array(Set(rule.channelIDs + everywhere))
            let existing = try await AlertQueries.active(rule: rule.id, on: db)
            combined.merge(engine.evaluate(rule: rule, observations: observations, existing: existing, maintenance: maintenance, now: Date()))
        }
        try await publish(combined, on: db)
    }

    /// Resolves every active alert of a rule (it was disabled or deleted).
    func retire(_ rule: AlertRule) async throws {
        try await serialized {
            let db = self.database()
            var disabled = rule
            disabled.enabled = false
            let existing = try await AlertQueries.active(rule: rule.id, on: db)
            try await self.publish(self.engine.evaluate(rule: disabled, observations: [], existing: existing, now: Date()), on: db)
        }
    }

    // MARK: People acting on alerts

    enum Action: Sendable {
        case acknowledge(note: String?, untilValueChanges: Bool)
        case snooze(until: Date)
        case resolve
    }

    /// Applies `action` to the alerts with `ids` as `user`; returns what could not be done, per alert.
    func act(_ action: Action, on ids: [UUID], by user: String) async throws -> [AlertActionError] {
        try await serialized {
            let db = self.database()
            let rows = try await StoredAlert.query(on: db).filter(\.$id ~~ ids).all()
            let alerts = rows.compactMap(\.alertState)
            let maintenance = try await MaintenanceStore.load(on: db)
            let everywhere = try await self.channelsForAllRules(on: db)
            var combined = EvaluationResult()
            var rejected: [AlertActionError] = []
            let rules = try await AlertRuleRecord.query(on: db).filter(\.$id ~~ Set(alerts.map(\.ruleID))).all()
            for (ruleID, group) in Dictionary(grouping: alerts, by: \.ruleID) {
                let channels = Array(Set((rules.first { $0.id == ruleID }?.rule?.channelIDs ?? []) + everywhere))
                let outcome: AlertEngine.ActionResult = switch action {
                case .acknowledge(let note, let untilValueChanges):
                    self.engine.acknowledge(group, by: user, note: note, untilValueChanges: untilValueChanges,
                                            channelIDs: channels, maintenance: maintenance, now: Date())
                case .snooze(let until):
                    self.engine.snooze(group, until: until, channelIDs: channels, now: Date())
                case .resolve:
                    self.engine.resolve(group, by: user, channelIDs: channels, maintenance: maintenance, now: Date())
                }
                combined.merge(outcome.result)
                rejected += outcome.rejected
            }
            try await self.publish(combined, on: db)
            return rejected
        }
    }

    /// Resolves the active alerts of every rule watching `metric` for one resource (its cause was
    /// dealt with, e.g. an admin accepted a new host key).
    func resolveActive(metric: String, resourceKey: String, by user: String) async throws {
        let db = database()
        let rules = try await AlertRuleRecord.query(on: db).filter(\.$triggerKey == metric).all().compactMap(\.id)
        let ids = try await StoredAlert.query(on: db).filter(\.$ruleID ~~ rules).filter(\.$status != AlertStatus.resolved.rawValue)
            .all().compactMap(\.alertState).filter { $0.resource.key == resourceKey }.map(\.id)
        guard !ids.isEmpty else { return }
        _ = try await act(.resolve, on: ids, by: user)
    }

    // MARK: Persist, stream, deliver

    private func publish(_ result: EvaluationResult, on db: any Database) async throws {
        try await AlertQueries.apply(result, on: db)
        await events.publish(result.updatedAlerts)
        try await NotificationLogWriter.suppressed(result.suppressed, on: db)
        try await deliver(result.notifications, on: db)
    }

    private func deliver(_ intents: [NotificationIntent], on db: any Database) async throws {
        guard !intents.isEmpty else { return }
        let channels = try await NotificationChannelRecord.query(on: db).filter(\.$id ~~ Set(intents.map(\.channelID))).all()
        let wanted = intents.filter { intent in
            guard let channel = channels.first(where: { $0.id == intent.channelID }) else { return false }
            // "Channel X is failing" cannot usefully be sent through X.
            if intent.alert.resource.type == "notification_channel", intent.alert.resource.id == intent.channelID.uuidString.lowercased() {
                return false
            }
            return channel.enabled && channel.eventKinds.contains(intent.event)
        }
        await send(batcher.submit(wanted, now: Date()), channels: channels)
        scheduleFlush()
    }

    /// Templates are read per delivery batch, so an admin's change applies at once on every replica.
    private func renderer() async -> MessageRenderer {
        let overrides = (try? await NotificationTemplatesController.overrides(on: database())) ?? [:]
        return MessageRenderer(templates: NotificationTemplates(overrides: overrides), baseURL: publicURL)
    }

    private func send(_ outgoing: [OutgoingNotification], channels: [NotificationChannelRecord]) async {
        let renderer = await renderer()
        var jobs: [DeliveryJob] = []
        for notification in outgoing {
            guard let record = channels.first(where: { $0.id == notification.channelID }) else { continue }
            do {
                let config = try record.config(secrets: secrets)
                jobs.append(DeliveryJob(channelID: notification.channelID, channel: config, message: renderer.render(notification),
                                        triggeredAt: notification.intents.map(\.triggeredAt).min()))
            } catch {
                logger.error("notification channel \(record.name) cannot be opened: \(String(describing: error))")
            }
        }
        guard !jobs.isEmpty else { return }
        await dispatcher().submit(jobs)
    }

    /// Held storm notifications go out as one summary per channel when their window ends.
    private func scheduleFlush() {
        guard flushTask == nil, let due = batcher.nextFlush else { return }
        flushTask = Task {
            try? await Task.sleep(for: .seconds(max(0, due.timeIntervalSinceNow)))
            await self.flushDue()
        }
    }

    private func flushDue() async {
        flushTask = nil
        let outgoing = batcher.flush(now: Date())
        if !outgoing.isEmpty, let channels = try? await NotificationChannelRecord.query(on: database()).all() {
            await send(outgoing, channels: channels)
        }
        scheduleFlush()
    }

    /// Sends a test message to one channel now, without retries, and logs the attempt.
    func sendTest(to record: NotificationChannelRecord) async throws -> DeliveryResult {
        let config = try record.config(secrets: secrets)
        let message = await renderer().renderTest()
        let started = Date()
        let result = await sender.send(message, to: config, deliveryID: UUID()).scrubbed(by: config)
        let attempt = DeliveryAttempt(
            deliveryID: UUID(), channelID: try record.requireID(), channelKind: config.service.kind, redactedURL: config.redactedURL,
            alertIDs: [], event: message.event, attempt: 1, startedAt: started, finishedAt: Date(), result: result,
            nextAttemptAt: nil, triggeredAt: nil)
        try await NotificationLogEntry(attempt).create(on: database())
        return result
    }

    private func dispatcher() -> NotificationDispatcher {
        if let dispatcherStorage { return dispatcherStorage }
        let dispatcher = NotificationDispatcher(
            sender: sender,
            onAttempt: { [weak self] attempt in await self?.logAttempt(attempt) },
            onHealth: { [weak self] event in await self?.channelHealthChanged(event) })
        dispatcherStorage = dispatcher
        return dispatcher
    }

    private func logAttempt(_ attempt: DeliveryAttempt) async {
        do {
            try await NotificationLogEntry(attempt).create(on: database())
        } catch {
            logger.error("cannot write the notification log: \(String(describing: error))")
        }
    }

    /// A channel failing after all retries raises one `system` alert; recovering resolves it.
    private func channelHealthChanged(_ event: ChannelHealthEvent) async {
        let id: UUID = switch event {
        case .failing(let id, _), .recovered(let id): id
        }
        let name = (try? await NotificationChannelRecord.find(id, on: database()))?.name ?? id.uuidString
        do {
            try await observe([event.observation(channelName: name, at: Date())])
        } catch {
            logger.error("cannot record the health of notification channel \(name): \(String(describing: error))")
        }
    }

    private func channelsForAllRules(on db: any Database) async throws -> [UUID] {
        try await NotificationChannelRecord.query(on: db).filter(\.$allRules == true).filter(\.$enabled == true).all().compactMap(\.id)
    }

    // MARK: Ordering and shutdown

    private func serialized<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task<T, any Error> {
            await previous?.value
            return try await body()
        }
        tail = Task { _ = await task.result }
        return try await task.value
    }

    /// Waits until every evaluation so far has been stored and every queued message delivered
    /// or given up (tests, shutdown).
    func waitUntilIdle() async {
        await tail?.value
        await dispatcherStorage?.waitUntilIdle()
    }

    func shutdown() async {
        flushTask?.cancel()
        let held = batcher.drain()
        if !held.isEmpty, let channels = try? await NotificationChannelRecord.query(on: database()).all() {
            await send(held, channels: channels)
        }
        await waitUntilIdle()
        await events.finishAll()
        if let channelSender = sender as? ChannelSender { await channelSender.shutdown() }
    }
}

extension EvaluationResult {
    mutating func merge(_ other: EvaluationResult) {
        updatedAlerts += other.updatedAlerts
        discardedAlertIDs += other.discardedAlertIDs
        transitions += other.transitions
        notifications += other.notifications
        suppressed += other.suppressed
    }
}
