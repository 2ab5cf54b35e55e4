import FluentKit
import Foundation
import UnityParsers

/// Engine events (`GET /events`) written into the same history as the state changes a discovery's
/// diff finds (`container_events`). Whichever sees a change first records it:
/// - an event is skipped when the container already has a row of its kind at or after the event's
///   time (the diff of a discovery that ran while the stream was down, or the same event replayed
///   after a reconnect with `since`);
/// - a discovery's diff skips a change the stream recorded since the previous discovery
///   (`InventoryStore`).
public enum ContainerEventHistory {
    /// The container actions that are history; the rest (exec_*, attach, create, rename, …) are not.
    public static func change(for event: EngineEvent) -> (kind: ContainerEventRecord.Kind, detail: String?)? {
        guard event.type == "container", !event.actorID.isEmpty else { return nil }
        switch event.action {
        case "start": return (.started, nil)
        case "die": return (.died, event.exitCode.map { "exit_code=\($0)" })
        case "oom": return (.oom, nil)
        case "health_status":
            guard let health = event.healthStatus, !health.isEmpty else { return nil }
            return (.healthChanged, "→\(health)")
        case "kill": return (.killed, event.attributes["signal"].map { "signal=\($0)" })
        case "pause": return (.paused, nil)
        case "unpause": return (.unpaused, nil)
        case "destroy", "remove": return (.removed, nil)
        default: return nil
        }
    }

    /// What one recorded event was about, for the caller's alerts.
    public struct Recorded: Sendable {
        public var container: ContainerRecord
        public var kind: ContainerEventRecord.Kind
        public var detail: String?
        public var at: Date
    }

    /// Records `event` for the host's container with that engine id; nil when it is not history,
    /// the container has no row yet (the next discovery inserts it with its own history), or the
    /// change is already recorded.
    @discardableResult
    public static func record(_ event: EngineEvent, hostID: UUID, on database: any Database, now: Date) async throws -> Recorded? {
        guard let (kind, detail) = change(for: event) else { return nil }
        let rows = try await ContainerRecord.query(on: database).filter(\.$hostID == hostID).filter(\.$engineID == event.actorID).all()
        // The live row, else the newest removed one (a `destroy` arrives for a row a discovery may already have marked).
        guard let container = rows.first(where: { $0.removedAt == nil }) ?? rows.max(by: { ($0.removedAt ?? .distantPast) < ($1.removedAt ?? .distantPast) })
        else { return nil }
        let containerID = try container.requireID()
        let at = event.time ?? now
        // A millisecond of slack: the database may keep less precision than the engine's nanoseconds.
        let already = try await ContainerEventRecord.query(on: database).filter(\.$containerID == containerID)
            .filter(\.$kind == kind.rawValue).filter(\.$at >= at.addingTimeInterval(-0.001)).count()
        guard already == 0 else { return nil }
        if kind == .healthChanged, let last = try await ContainerEventRecord.query(on: database).filter(\.$containerID == containerID)
            .filter(\.$kind == kind.rawValue).sort(\.$at, .descending).first(), let detail,
            last.detail?.hasSuffix(detail) == true {
            // Podman reports every check; only a change of health is history.
            return nil
        }
        try await ContainerEventRecord(hostID: hostID, containerID: containerID, kind: kind, detail: detail, at: at).create(on: database)
        return Recorded(container: container, kind: kind, detail: detail, at: at)
    }
}
