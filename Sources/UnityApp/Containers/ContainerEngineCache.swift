import Foundation
import UnityContainers
import UnityCore

/// One engine client per container host, kept between discoveries and actions so they reuse its
/// open connection (over SSH a new dial-stdio channel costs a round trip and a process on the host).
/// An entry is rebuilt when what reaches the engine changes (its `key`), dropped after an error, and
/// closed when unused for `idleLimit` — longer than the default discovery interval, so the
/// scheduled discovery finds it warm. The kept connection holds one SSH channel of the server's
/// eight; collection and other streams keep the rest.
final class ContainerEngineCache: Sendable {
    struct Entry: Sendable {
        var key: String
        var engine: DockerAPIEngine
        var lastUsed: Date
    }

    let idleLimit: TimeInterval
    private let entries = LockedValue<[UUID: Entry]>([:])

    init(idleLimit: TimeInterval = 600) {
        self.idleLimit = idleLimit
    }

    /// The cached engine for `hostID` when its key still matches, otherwise a new one from `make`.
    func engine(hostID: UUID, key: String, now: Date, make: () async throws -> DockerAPIEngine) async throws -> DockerAPIEngine {
        await closeUnused(now: now)
        let cached = entries.withLock { all -> DockerAPIEngine? in
            guard let entry = all[hostID], entry.key == key else { return nil }
            all[hostID]?.lastUsed = now
            return entry.engine
        }
        if let cached { return cached }
        let engine = try await make()
        let replaced = entries.withLock { all -> DockerAPIEngine? in
            defer { all[hostID] = Entry(key: key, engine: engine, lastUsed: now) }
            return all[hostID]?.engine
        }
        await replaced?.closeIdleConnections()
        return engine
    }

    /// After a failure the next use starts from a fresh client (credentials or the route may have changed).
    func evict(_ hostID: UUID) async {
        await entries.withLock { $0.removeValue(forKey: hostID) }?.engine.closeIdleConnections()
    }

    func closeAll() async {
        for entry in entries.withLock({ all -> [Entry] in defer { all.removeAll() }; return Array(all.values) }) {
            await entry.engine.closeIdleConnections()
        }
    }

    var count: Int { entries.withLock { $0.count } }

    private func closeUnused(now: Date) async {
        let expired = entries.withLock { all -> [Entry] in
            let old = all.filter { now.timeIntervalSince($0.value.lastUsed) > idleLimit }
            for id in old.keys { all.removeValue(forKey: id) }
            return Array(old.values)
        }
        for entry in expired { await entry.engine.closeIdleConnections() }
    }
}
