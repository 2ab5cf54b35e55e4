import Foundation
import UnityParsers

/// What the database already knows about a container, for the diff (a row's relevant fields).
public struct KnownContainer: Sendable, Equatable {
    public var rowID: UUID
    public var engineID: String
    public var state: String
    public var health: String?
    public var exitCode: Int?
    public var oomKilled: Bool
    public var started: Date?
    public var removed: Bool

    public init(rowID: UUID, engineID: String, state: String, health: String?, exitCode: Int?, oomKilled: Bool, started: Date?, removed: Bool) {
        self.rowID = rowID; self.engineID = engineID; self.state = state; self.health = health; self.exitCode = exitCode
        self.oomKilled = oomKilled; self.started = started; self.removed = removed
    }

    public init(_ row: ContainerRecord) throws {
        self.init(rowID: try row.requireID(), engineID: row.engineID, state: row.state, health: row.health, exitCode: row.exitCode,
                  oomKilled: row.oomKilled, started: row.started, removed: row.removedAt != nil)
    }
}

/// The diff between the rows of one host and a fresh engine snapshot: pure, so every transition is
/// tested without a database or an engine. Applied in one transaction by `InventoryStore`.
public struct ContainerReconciliation: Sendable, Equatable {
    public enum Target: Sendable, Equatable, Hashable {
        case row(UUID)
        /// A container inserted by this reconciliation, by engine id (its row id is made on insert).
        case new(engineID: String)
    }

    public struct Update: Sendable, Equatable {
        public var rowID: UUID
        public var details: ContainerDetails
        /// A removed row whose container is back (same engine id): clear `removed_at`.
        public var revived: Bool

        public init(rowID: UUID, details: ContainerDetails, revived: Bool) { self.rowID = rowID; self.details = details; self.revived = revived }
    }

    public struct Event: Sendable, Equatable {
        public var target: Target
        public var kind: ContainerEventRecord.Kind
        public var detail: String?
        public var at: Date
    }

    public var inserts: [ContainerDetails] = []
    public var updates: [Update] = []
    /// Rows whose container is gone from the engine: marked removed, never deleted here.
    public var removals: [UUID] = []
    public var events: [Event] = []

    public static func plan(known: [KnownContainer], snapshot: [ContainerDetails], now: Date) -> ContainerReconciliation {
        var plan = ContainerReconciliation()
        // A live row wins over a removed one with the same engine id.
        var byEngineID: [String: KnownContainer] = [:]
        for row in known where byEngineID[row.engineID] == nil || byEngineID[row.engineID]?.removed == true {
            byEngineID[row.engineID] = row
        }
        var seen = Set<String>()
        for details in snapshot where seen.insert(details.id).inserted {
            func event(_ target: Target, _ kind: ContainerEventRecord.Kind, _ detail: String? = nil) {
                plan.events.append(Event(target: target, kind: kind, detail: detail, at: now))
            }
            guard let row = byEngineID[details.id], !row.removed else {
                let target: Target
                if let row = byEngineID[details.id] {
                    target = .row(row.rowID)
                    plan.updates.append(Update(rowID: row.rowID, details: details, revived: true))
                } else {
                    target = .new(engineID: details.id)
                    plan.inserts.append(details)
                }
                event(target, .created)
                if details.state == "running" { event(target, .started) }
                if let health = details.health { event(target, .healthChanged, "→\(health)") }
                continue
            }
            let target = Target.row(row.rowID)
            plan.updates.append(Update(rowID: row.rowID, details: details, revived: false))
            let wasRunning = isUp(row.state), isRunning = isUp(details.state)
            let restarted = wasRunning && isRunning && details.started != nil && row.started != nil && details.started != row.started
            if wasRunning && !isRunning || restarted {
                event(target, .died, restarted ? nil : details.exitCode.map { "exit_code=\($0)" })
            }
            if details.oomKilled && (!row.oomKilled || restarted) { event(target, .oom) }
            if !wasRunning && isRunning || restarted { event(target, .started) }
            if row.health != details.health {
                event(target, .healthChanged, "\(row.health ?? "none")→\(details.health ?? "none")")
            }
        }
        for row in known where !row.removed && !seen.contains(row.engineID) {
            plan.removals.append(row.rowID)
            plan.events.append(Event(target: .row(row.rowID), kind: .removed, detail: nil, at: now))
        }
        return plan
    }

    /// Running or paused: the process exists (a pause is not a death).
    static func isUp(_ state: String) -> Bool { state == "running" || state == "paused" || state == "restarting" }
}
