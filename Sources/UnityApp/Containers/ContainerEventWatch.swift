import Fluent
import Foundation
import UnityContainers
import UnityParsers
import Vapor

/// Follows each discovered host's `GET /events` (containers only) while Unity is connected to it, so
/// state changes land in the history when they happen instead of at the next discovery's diff. One
/// stream per host, as a job on `BackgroundJobs` (cancelled on shutdown and when the host is
/// deleted); a stream that ends or fails is reopened with backoff from the last event's time, and
/// the watch ends when the host is gone, disabled or no longer up (the next successful discovery
/// starts it again).
enum ContainerEventWatch {
    /// Starts the host's watch unless it runs already.
    static func ensureRunning(_ host: ContainerHostRecord, application: Application) async {
        guard let hostID = host.id, host.enabled, host.status == ContainerHostRecord.Status.up.rawValue else { return }
        await application.unity.jobs.startUnlessRunning(ContainerEventStreamKind(), id: hostID) {
            await follow(hostID: hostID, application: application)
        }
    }

    static func stop(hostID: UUID, application: Application) async {
        await application.unity.jobs.cancel(ContainerEventStreamKind(), id: hostID)
    }

    static func follow(hostID: UUID, application: Application, backoff: ReconnectBackoff = ReconnectBackoff()) async {
        var backoff = backoff
        var since: Date?
        let logger = application.logger
        while !Task.isCancelled {
            guard let host = try? await ContainerHostRecord.find(hostID, on: application.db), host.enabled,
                  host.status == ContainerHostRecord.Status.up.rawValue else { return }
            // From the discovery that started the watch: what happened since is replayed, and what
            // its diff already recorded is skipped.
            if since == nil { since = host.lastDiscoveredAt }
            do {
                let engine = try await application.containerEngines.engine(for: host, application: application)
                guard let live = engine as? any ContainerLiveEngine else { return }
                let events = try await live.events(since: since, filters: EngineEventFilters(types: ["container"]))
                backoff.reset()
                for try await event in events {
                    if let time = event.time { since = max(since ?? time, time) }
                    await record(event, host: host, application: application)
                }
                logger.debug("container event stream ended", metadata: ["host": "\(host.name)"])
            } catch {
                logger.info("container event stream failed", metadata: ["host": "\(host.name)", "error": "\(error)"])
            }
            guard !Task.isCancelled else { return }
            try? await Task.sleep(for: backoff.next())
        }
    }

    private static func record(_ event: EngineEvent, host: ContainerHostRecord, application: Application) async {
        do {
            guard let hostID = host.id,
                  let recorded = try await ContainerEventHistory.record(event, hostID: hostID, on: application.db, now: Date())
            else { return }
            try await ContainerAlerts.afterEvent(recorded, host: host, alerts: application.unity.alerts, database: application.db, now: Date())
        } catch {
            application.logger.warning("container event not recorded", metadata: ["host": "\(host.name)", "error": "\(error)"])
        }
    }
}

/// Doubling waits between reconnects (1 s up to a minute), back to the start after a stream opened.
struct ReconnectBackoff: Sendable {
    var initial: Duration = .seconds(1)
    var maximum: Duration = .seconds(60)
    private var current: Duration?

    init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60)) {
        self.initial = initial
        self.maximum = maximum
    }

    mutating func next() -> Duration {
        let wait = current.map { min($0 * 2, maximum) } ?? initial
        current = wait
        return wait
    }

    mutating func reset() { current = nil }
}

/// The event watches as jobs of the runner: they have no rows (nothing to resume after a restart:
/// the next discovery starts a new watch), so heartbeats and interruptions have nothing to write.
struct ContainerEventStreamKind: TrackedJobKind {
    var name: String { "container_events" }
    func runningRows(on database: any Database) async throws -> [TrackedJobRow] { [] }
    func heartbeat(_ ids: [UUID], owner: String, at date: Date, on database: any Database) async throws {}
    func interrupt(_ ids: [UUID], reason: String, at date: Date, on database: any Database) async throws {}
}
