import Fluent
import Foundation
import UnityContainers
import UnityCore
import UnityParsers
import Vapor

/// The last CPU and memory sample of each running container, for `/metrics` only: in memory, never
/// in the database (a sample every discovery for every container would be a time series Unity does
/// not need to keep; Prometheus keeps it). Entries of a host are replaced by each of its samplings,
/// so stopped and removed containers drop out and the size follows the running containers.
final class ContainerResourceSamples: Sendable {
    struct Entry: Sendable {
        var hostID: UUID
        var sample: ContainerStatsSample
        /// Between this sample and the previous one (Docker's one-shot answer has no previous
        /// sample of its own); the engine's own figure when it gives one (Podman) and there is none.
        var cpuPercent: Double?
    }

    private let entries = LockedValue<[UUID: Entry]>([:])

    /// `samples` by container row id: every running container of the host that answered.
    func record(hostID: UUID, samples: [UUID: ContainerStatsSample]) {
        entries.withLock { all in
            for (id, entry) in all where entry.hostID == hostID && samples[id] == nil { all[id] = nil }
            for (id, sample) in samples {
                let cpu = all[id].flatMap { sample.cpuPercent(since: $0.sample) } ?? sample.cpuPercent
                all[id] = Entry(hostID: hostID, sample: sample, cpuPercent: cpu)
            }
        }
    }

    func forget(hostID: UUID) {
        entries.withLock { all in all = all.filter { $0.value.hostID != hostID } }
    }

    var snapshot: [UUID: Entry] { entries.withLock { $0 } }
}

/// One-shot stats (`stream=false&one-shot=true`) of a host's running containers after a successful
/// discovery, `concurrent` at a time on the engine's kept connections. A container that does not
/// answer has no sample this time; sampling never fails a discovery.
enum ContainerStatsSampler {
    static let concurrent = 2

    static func sample(_ host: ContainerHostRecord, engine: any ContainerEngine, application: Application, database: any Database) async {
        guard let live = engine as? any ContainerLiveEngine, let hostID = host.id else { return }
        let rows: [ContainerRecord]
        do {
            rows = try await ContainerRecord.query(on: database).filter(\.$hostID == hostID).filter(\.$removedAt == nil)
                .filter(\.$state == "running").all()
        } catch {
            application.logger.info("container stats not sampled", metadata: ["host": "\(host.name)", "error": "\(error)"])
            return
        }
        var queue = rows.compactMap { row in row.id.map { (rowID: $0, engineID: row.engineID) } }[...]
        var samples: [UUID: ContainerStatsSample] = [:]
        await withTaskGroup(of: (UUID, ContainerStatsSample?).self) { group in
            for _ in 0..<concurrent {
                guard let target = queue.popFirst() else { break }
                group.addTask { (target.rowID, try? await live.stats(target.engineID, quick: true)) }
            }
            while let (rowID, sample) = await group.next() {
                if let sample { samples[rowID] = sample }
                if let target = queue.popFirst() {
                    group.addTask { (target.rowID, try? await live.stats(target.engineID, quick: true)) }
                }
            }
        }
        application.containerResourceSamples.record(hostID: hostID, samples: samples)
    }
}

extension Application {
    private struct ContainerResourceSamplesKey: StorageKey { typealias Value = ContainerResourceSamples }

    /// Set up in `configure`; the fallback (code that skipped it) keeps nothing between uses.
    var containerResourceSamples: ContainerResourceSamples {
        get { storage[ContainerResourceSamplesKey.self] ?? ContainerResourceSamples() }
        set { storage[ContainerResourceSamplesKey.self] = newValue }
    }
}
