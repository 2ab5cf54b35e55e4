import Foundation
import UnityAlerts

/// Fans alert changes out to every open `/api/v1/alerts/stream`. A slow client only loses its
/// own oldest events (bounded buffer); it never holds up evaluation.
actor AlertEventHub {
    private var subscribers: [UUID: AsyncStream<AlertState>.Continuation] = [:]

    func subscribe() -> (id: UUID, events: AsyncStream<AlertState>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<AlertState>.makeStream(bufferingPolicy: .bufferingNewest(256))
        subscribers[id] = continuation
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    func publish(_ alerts: [AlertState]) {
        for alert in alerts where alert.status != .pending {
            for continuation in subscribers.values { continuation.yield(alert) }
        }
    }

    var subscriberCount: Int { subscribers.count }

    func finishAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }
}
