import Foundation

/// Exponential backoff with jitter: attempt n waits `initialDelay * multiplier^(n-1)`, capped at
/// `maxDelay`, then spread by ±`jitter` so channels failing together do not retry in lockstep.
public struct RetryPolicy: Sendable, Hashable, Codable {
    public var maxAttempts: Int
    public var initialDelay: TimeInterval
    public var multiplier: Double
    public var maxDelay: TimeInterval
    /// Fraction of the delay, 0…1.
    public var jitter: Double

    public init(maxAttempts: Int = 5, initialDelay: TimeInterval = 2, multiplier: Double = 2, maxDelay: TimeInterval = 300, jitter: Double = 0.2) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = max(0, initialDelay)
        self.multiplier = max(1, multiplier)
        self.maxDelay = max(0, maxDelay)
        self.jitter = min(max(0, jitter), 1)
    }

    /// The wait after failed attempt `attempt` (1-based); `random` is uniform in 0..<1.
    public func delay(afterAttempt attempt: Int, random: Double) -> TimeInterval {
        let base = min(maxDelay, initialDelay * pow(multiplier, Double(max(0, attempt - 1))))
        let spread = base * jitter * (random * 2 - 1)
        return max(0, base + spread)
    }
}


/// One message for one channel, as the dispatcher receives it.
public struct DeliveryJob: Sendable {
    /// Stable across retries; use it as the notification log's delivery id.
    public var id: UUID
    public var channelID: UUID
    public var channel: ChannelConfig
    public var message: RenderedMessage
    /// Start of the end-to-end latency (the observation that caused the alert), if known.
    public var triggeredAt: Date?

    public init(id: UUID = UUID(), channelID: UUID, channel: ChannelConfig, message: RenderedMessage, triggeredAt: Date? = nil) {
        self.id = id
        self.channelID = channelID
        self.channel = channel
        self.message = message
        self.triggeredAt = triggeredAt
    }

    public var alertIDs: [UUID] { message.alerts.map(\.id) }
}


/// One row of the delivery log. Contains no secret: the channel appears by id and redacted
/// URL, and the result was scrubbed.
public struct DeliveryAttempt: Sendable, Hashable {
    public var deliveryID: UUID
    public var channelID: UUID
    public var channelKind: String
    public var redactedURL: String
    public var alertIDs: [UUID]
    public var event: MessageKind
    public var attempt: Int
    public var startedAt: Date
    public var finishedAt: Date
    public var result: DeliveryResult
    /// When the next attempt is due, or nil if this was the last one.
    public var nextAttemptAt: Date?
    public var triggeredAt: Date?

    public init(
        deliveryID: UUID, channelID: UUID, channelKind: String, redactedURL: String, alertIDs: [UUID], event: MessageKind,
        attempt: Int, startedAt: Date, finishedAt: Date, result: DeliveryResult, nextAttemptAt: Date?, triggeredAt: Date?
    ) {
        self.deliveryID = deliveryID
        self.channelID = channelID
        self.channelKind = channelKind
        self.redactedURL = redactedURL
        self.alertIDs = alertIDs
        self.event = event
        self.attempt = attempt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.result = result
        self.nextAttemptAt = nextAttemptAt
        self.triggeredAt = triggeredAt
    }

    /// Observation → receiver answered, the figure the ≤ 1 s acceptance bench measures.
    public var latency: TimeInterval? { triggeredAt.map { finishedAt.timeIntervalSince($0) } }
}


public enum DeliveryOutcome: Sendable, Hashable {
    case delivered(attempts: Int)
    case failed(attempts: Int, last: DeliveryResult)

    public var delivered: Bool {
        if case .delivered = self { return true }
        return false
    }
}


/// Emitted once when a channel starts failing and once when it works again; the app turns these
/// into one `system` alert (see `ChannelHealthEvent.observation`).
public enum ChannelHealthEvent: Sendable, Hashable {
    case failing(channelID: UUID, error: String)
    case recovered(channelID: UUID)

    /// The observation for `SystemRules.notificationChannelFailing`.
    public func observation(channelName: String, at: Date) -> Observation {
        switch self {
        case .failing(let id, let error):
            Observation(resource: Self.resource(id, channelName), key: SystemRules.channelFailingKey, value: 1,
                        detail: "Notification channel \(channelName) is failing: \(error)", at: at)
        case .recovered(let id):
            Observation(resource: Self.resource(id, channelName), key: SystemRules.channelFailingKey, value: 0, at: at)
        }
    }

    static func resource(_ id: UUID, _ name: String) -> ResourceRef {
        ResourceRef(type: "notification_channel", id: id.uuidString.lowercased(), name: name)
    }
}


/// Rules Unity itself ships. Fixed ids so "reset to defaults" recreates the same rule.
public enum SystemRules {
    public static let channelFailingKey = "notification.channel_failing"

    public static let notificationChannelFailing = AlertRule(
        id: UUID(uuidString: "5e7a1e00-0000-4000-8000-000000000001") ?? UUID(), name: "Notification channel failing",
        source: .system, trigger: .event(channelFailingKey), comparison: .equal, threshold: 1,
        severity: .warning, target: .all
    )

    public static var all: [AlertRule] { [notificationChannelFailing] }
}
