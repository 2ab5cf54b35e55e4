import Foundation

/// Time for the health gate and the names an update gives, injected so tests use short gates and
/// domain code never reads the wall clock itself.
public protocol UpdateClock: Sendable {
    func now() -> Date
    func sleep(seconds: Double) async throws
}

/// The wall clock and `Task.sleep`.
public struct SystemUpdateClock: UpdateClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .milliseconds(Int((seconds * 1000).rounded(.up))))
    }
}

/// The journal could not store a line: the engine stops at once, with no further side effect, as if
/// Unity had been killed there; the run stays `running` for `resume`.
struct UpdateJournalStopped: Error {
    let reason: String
}

/// One run in progress: its journal, its facts, and the step helper that writes the `started` line
/// before the side effect and the outcome after it.
final class UpdateRun {
    let id: UUID
    let request: UpdateRequest
    let journal: any UpdateJournaling
    let clock: any UpdateClock
    private(set) var facts: UpdateRunFacts

    init(id: UUID, request: UpdateRequest, facts: UpdateRunFacts, journal: any UpdateJournaling, clock: any UpdateClock) {
        self.id = id
        self.request = request
        self.facts = facts
        self.journal = journal
        self.clock = clock
    }

    func line(_ step: UpdateStepName, _ outcome: UpdateStepOutcome, _ detail: String) async throws {
        do { try await journal.append(UpdateStepEntry(step: step, outcome: outcome, detail: detail, at: clock.now()), run: id) } catch {
            throw UpdateJournalStopped(reason: "\(error)")
        }
    }

    /// Stores a fact as soon as it is known (a resume must find what this run created or renamed).
    func learn(_ change: (inout UpdateRunFacts) -> Void) async throws {
        change(&facts)
        do { try await journal.record(facts, run: id) } catch { throw UpdateJournalStopped(reason: "\(error)") }
    }

    func finish(_ state: UpdateRunState, _ summary: String) async throws -> UpdateRunState {
        do { try await journal.finish(run: id, state: state, summary: summary, at: clock.now()) } catch {
            throw UpdateJournalStopped(reason: "\(error)")
        }
        return state
    }

    /// One step: `started` line, then `body` (its side effect; returns the success detail), then the
    /// outcome line. Returns nil on success, else what failed (already journaled).
    func step(_ name: UpdateStepName, _ detail: String, _ body: () async throws -> String) async throws -> String? {
        try await line(name, .started, detail)
        do {
            let done = try await body()
            try await line(name, .succeeded, done)
            return nil
        } catch let stopped as UpdateJournalStopped {
            throw stopped
        } catch {
            let message = Self.describe(error)
            try await line(name, .failed, message)
            return message
        }
    }

    static func describe(_ error: any Error) -> String {
        if let engine = error as? ContainerEngineError { return engine.message }
        if let failure = error as? UpdateStepFailure { return failure.message }
        return String(describing: error)
    }
}

/// A step's own verdict (platform mismatch, gate failed), as opposed to an engine error.
struct UpdateStepFailure: Error {
    let message: String
}
