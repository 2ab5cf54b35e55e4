import FluentKit
import Foundation
import UnityParsers

/// Discovery and its persistence: asks the engine, diffs against the host's rows, writes the diff
/// in one transaction (a failed write leaves the previous inventory whole).
public enum InventoryStore {
    public struct Outcome: Sendable, Equatable {
        public var inserted = 0
        public var updated = 0
        public var removed = 0
        public var events = 0
    }

    /// Discovers one host. On an engine error the host row records it (unreachable / error with the
    /// code) and the error is rethrown; the inventory rows stay as they were.
    @discardableResult
    public static func discover(_ host: ContainerHostRecord, engine: any ContainerEngine, on database: any Database,
                                now: @Sendable () -> Date) async throws -> Outcome {
        let facts: ContainerEngineFacts
        let containers: [ContainerDetails]
        let images: [ImageSummary]
        do {
            facts = try await engine.facts()
            containers = try await engine.containers()
            images = try await engine.images()
        } catch let error as ContainerEngineError {
            host.record(error)
            try await host.save(on: database)
            throw error
        }
        let at = now()
        let hostID = try host.requireID()
        let previousDiscovery = host.lastDiscoveredAt
        return try await database.transaction { transaction in
            host.record(facts, at: at)
            try await host.save(on: transaction)
            let outcome = try await apply(containers: containers, hostID: hostID, now: at,
                                            recordedSince: previousDiscovery, on: transaction)
            try await apply(images: images, hostID: hostID, now: at, on: transaction)
            return outcome
        }
    }

    /// `recordedSince`: the previous discovery; a change the event stream recorded after it is not
    /// written again from the diff.
    static func apply(containers snapshot: [ContainerDetails], hostID: UUID, now: Date, recordedSince: Date? = nil,
                      on database: any Database) async throws -> Outcome {
        let rows = try await ContainerRecord.query(on: database).filter(\.$hostID == hostID).all()
        let plan = ContainerReconciliation.plan(known: try rows.map(KnownContainer.init), snapshot: snapshot, now: now)
        var byRowID: [UUID: ContainerRecord] = [:]
        for row in rows { if let id = row.id { byRowID[id] = row } }
        var inserted: [String: UUID] = [:]
        for details in plan.inserts {
            let row = ContainerRecord(hostID: hostID, details: details, now: now)
            try await row.create(on: database)
            inserted[details.id] = try row.requireID()
        }
        for update in plan.updates {
            guard let row = byRowID[update.rowID] else { continue }
            let changed = row.refresh(from: update.details, now: now)
            if update.revived {
                row.removedAt = nil
                row.updatedAt = now
            }
            if changed || update.revived { try await row.save(on: database) }
        }
        for rowID in plan.removals {
            guard let row = byRowID[rowID] else { continue }
            row.removedAt = now
            row.updatedAt = now
            try await row.save(on: database)
        }
        var streamed = Set<String>()
        if let recordedSince {
            for row in try await ContainerEventRecord.query(on: database).filter(\.$hostID == hostID).filter(\.$at > recordedSince).all() {
                streamed.insert("\(row.containerID) \(row.kind)")
            }
        }
        var written = 0
        for event in plan.events {
            let containerID: UUID? = switch event.target {
            case .row(let id): id
            case .new(let engineID): inserted[engineID]
            }
            guard let containerID, !streamed.contains("\(containerID) \(event.kind.rawValue)") else { continue }
            written += 1
            try await ContainerEventRecord(hostID: hostID, containerID: containerID, kind: event.kind, detail: event.detail, at: event.at)
                .create(on: database)
        }
        return Outcome(inserted: plan.inserts.count, updated: plan.updates.count, removed: plan.removals.count, events: written)
    }

    static func apply(images snapshot: [ImageSummary], hostID: UUID, now: Date, on database: any Database) async throws {
        let rows = try await ContainerImageRecord.query(on: database).filter(\.$hostID == hostID).all()
        var byImageID: [String: ContainerImageRecord] = [:]
        for row in rows where byImageID[row.imageID] == nil || row.removedAt == nil { byImageID[row.imageID] = row }
        var seen = Set<String>()
        for image in snapshot where seen.insert(image.id).inserted {
            if let row = byImageID[image.id] {
                if row.refresh(from: image, now: now) { try await row.save(on: database) }
            } else {
                try await ContainerImageRecord(hostID: hostID, image: image, now: now).create(on: database)
            }
        }
        for row in rows where row.removedAt == nil && !seen.contains(row.imageID) {
            row.removedAt = now
            row.updatedAt = now
            try await row.save(on: database)
        }
    }
}
