import Foundation
import UnityAlerts

/// Fans alert changes out to every open `/api/v1/alerts/stream`. A slow client only loses its
/// own oldest events (bounded buffer); it never holds up evaluation. Each user may hold a few
/// streams at once (tabs, a wall display); more would let one account pin connections.
actor AlertEventHub {
    static let streamsPerUser = 5

    private var subscribers: [UUID: (owner: UUID, continuation: AsyncStream<AlertState>.Continuation)] = [:]
    /// How often an open stream writes a keep-alive and re-checks that its caller may still
    /// listen; tests shorten it.
    private(set) var heartbeat: Duration = .seconds(15)

    func setHeartbeat(_ interval: Duration) { heartbeat = interval }

    /// nil when `owner` already holds `streamsPerUser` streams.
    func subscribe(owner: UUID) -> (id: UUID, events: AsyncStream<AlertState>)? {
        guard subscribers.values.filter({ $0.owner == owner }).count < Self.streamsPerUser else { return nil }
        let id = UUID()
        let (stream, continuation) = AsyncStream<AlertState>.makeStream(bufferingPolicy: .bufferingNewest(256))
        subscribers[id] = (owner, continuation)
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        subscribers.removeValue(forKey: id)?.continuation.finish()
    }

    func publish(_ alerts: [AlertState]) {
        for alert in alerts where alert.status != .pending {
            for subscriber in subscribers.values { subscriber.continuation.yield(alert) }
        }
    }

    var subscriberCount: Int { subscribers.count }

    func finishAll() {
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers = [:]
    }
}
