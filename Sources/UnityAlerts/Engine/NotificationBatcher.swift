import Foundation

/// What leaves the batcher: one intent on its own, or many folded into a single summary.
public enum OutgoingNotification: Sendable, Hashable {
    case single(NotificationIntent)
    case summary(channelID: UUID, intents: [NotificationIntent])

    public var channelID: UUID {
        switch self {
        case .single(let intent): intent.channelID
        case .summary(let channelID, _): channelID
        }
    }

    public var intents: [NotificationIntent] {
        switch self {
        case .single(let intent): [intent]
        case .summary(_, let intents): intents
        }
    }
}


/// Storm grouping, per channel: at most `limit` messages go out individually within any
/// `window`; the rest are held and sent as one summary when the window that started holding
/// them ends. The first alerts of a storm still go out at once (latency matters most for the
/// first one), and a 200-container host reboot becomes `limit` messages plus one summary.
///
/// A value type with no clock: the app keeps one instance, calls `submit` after each evaluation
/// and `flush` on a timer (`nextFlush` says when).
public struct NotificationBatcher: Sendable, Hashable {
    public var limit: Int
    public var window: TimeInterval
    private var sent: [UUID: [Date]] = [:]
    private var held: [UUID: [NotificationIntent]] = [:]
    private var flushAt: [UUID: Date] = [:]

    public init(limit: Int = 5, window: TimeInterval = 60) {
        self.limit = max(1, limit)
        self.window = max(0, window)
    }

    public var nextFlush: Date? { flushAt.values.min() }
    public var heldCount: Int { held.values.reduce(0) { $0 + $1.count } }

    public mutating func submit(_ intents: [NotificationIntent], now: Date) -> [OutgoingNotification] {
        var out: [OutgoingNotification] = []
        for intent in intents {
            let channel = intent.channelID
            let recent = (sent[channel] ?? []).filter { now.timeIntervalSince($0) < window }
            sent[channel] = recent
            if held[channel] == nil && recent.count < limit {
                sent[channel, default: []].append(now)
                out.append(.single(intent))
            } else {
                held[channel, default: []].append(intent)
                if flushAt[channel] == nil { flushAt[channel] = now.addingTimeInterval(window) }
            }
        }
        return out
    }

    /// Summaries for every channel whose hold has run its window.
    public mutating func flush(now: Date) -> [OutgoingNotification] {
        var out: [OutgoingNotification] = []
        for (channel, due) in flushAt.sorted(by: { $0.value < $1.value }) where due <= now {
            let intents = held[channel] ?? []
            held[channel] = nil
            flushAt[channel] = nil
            guard !intents.isEmpty else { continue }
            sent[channel, default: []].append(now)
            out.append(intents.count == 1 ? .single(intents[0]) : .summary(channelID: channel, intents: intents))
        }
        return out
    }

    /// Everything held, now, whatever the windows say (shutdown).
    public mutating func drain() -> [OutgoingNotification] {
        flush(now: .distantFuture)
    }
}
