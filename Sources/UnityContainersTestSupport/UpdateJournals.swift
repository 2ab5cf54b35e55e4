import Foundation
import UnityContainers
import UnityCore

/// The update journal on memory: what the app stores in its database, for the engine's own tests.
public final class InMemoryUpdateJournal: UpdateJournaling {
    public struct Run: Sendable {
        public var request: UpdateRequest
        public var state: UpdateRunState
        public var facts: UpdateRunFacts
        public var steps: [UpdateStepEntry]
        public var summary: String?
        /// How many times `finish` was called (a resume that runs twice finishes twice).
        public var finishCount: Int
    }

    private let runs = LockedValue<[UUID: Run]>([:])
    private let order = LockedValue<[UUID]>([])

    public init() {}

    public func begin(_ request: UpdateRequest, at: Date) async throws -> UUID {
        let id = UUID()
        runs.withLock { $0[id] = Run(request: request, state: .running, facts: UpdateRunFacts(), steps: [], summary: nil, finishCount: 0) }
        order.withLock { $0.append(id) }
        return id
    }

    public func record(_ facts: UpdateRunFacts, run: UUID) async throws {
        runs.withLock { $0[run]?.facts = facts }
    }

    public func append(_ entry: UpdateStepEntry, run: UUID) async throws {
        runs.withLock { $0[run]?.steps.append(entry) }
    }

    public func finish(run: UUID, state: UpdateRunState, summary: String, at: Date) async throws {
        runs.withLock {
            $0[run]?.state = state
            $0[run]?.summary = summary
            $0[run]?.finishCount += 1
        }
    }

    public func unfinished() async throws -> [UpdateRunSnapshot] {
        let ids = order.withLock { $0 }
        return ids.compactMap { id in
            guard let run = self.run(id), run.state == .running else { return nil }
            return UpdateRunSnapshot(id: id, request: run.request, state: run.state, facts: run.facts, steps: run.steps)
        }
    }

    public func run(_ id: UUID) -> Run? { runs.withLock { $0[id] } }

    /// The journal lines as `step:outcome`, for assertions on the order of steps.
    public func trail(_ id: UUID) -> [String] { (run(id)?.steps ?? []).map { "\($0.step.rawValue):\($0.outcome.rawValue)" } }
}

/// A journal that dies like a process killed with -9: once the line `crashAfter` is stored, every
/// later write throws and stores nothing. The lines already written stay in `storage`, which a test
/// then hands to `resume`, as Unity does after a restart.
public final class CrashingUpdateJournal: UpdateJournaling {
    public struct CrashPoint: Sendable, Equatable, CustomStringConvertible {
        public var step: UpdateStepName
        public var outcome: UpdateStepOutcome
        public init(_ step: UpdateStepName, _ outcome: UpdateStepOutcome = .succeeded) {
            self.step = step
            self.outcome = outcome
        }
        public var description: String { "\(step.rawValue):\(outcome.rawValue)" }
    }

    public struct Killed: Error, CustomStringConvertible {
        public var description: String { "the journal is gone (simulated kill -9)" }
    }

    public let storage: InMemoryUpdateJournal
    public let crashAfter: CrashPoint
    private let dead = LockedValue(false)

    public init(storage: InMemoryUpdateJournal, crashAfter: CrashPoint) {
        self.storage = storage
        self.crashAfter = crashAfter
    }

    /// Whether the crash point was reached.
    public var crashed: Bool { dead.withLock { $0 } }

    private func alive() throws {
        if dead.withLock({ $0 }) { throw Killed() }
    }

    public func begin(_ request: UpdateRequest, at: Date) async throws -> UUID {
        try alive()
        return try await storage.begin(request, at: at)
    }

    public func record(_ facts: UpdateRunFacts, run: UUID) async throws {
        try alive()
        try await storage.record(facts, run: run)
    }

    public func append(_ entry: UpdateStepEntry, run: UUID) async throws {
        try alive()
        try await storage.append(entry, run: run)
        if entry.step == crashAfter.step && entry.outcome == crashAfter.outcome { dead.withLock { $0 = true } }
    }

    public func finish(run: UUID, state: UpdateRunState, summary: String, at: Date) async throws {
        try alive()
        try await storage.finish(run: run, state: state, summary: summary, at: at)
    }

    public func unfinished() async throws -> [UpdateRunSnapshot] {
        try alive()
        return try await storage.unfinished()
    }
}
