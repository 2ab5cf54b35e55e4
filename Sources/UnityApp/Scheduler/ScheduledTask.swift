import Fluent
import NIOConcurrencyHelpers
import Logging
import UnityCore
import Vapor

/// A unit of background work registered in code. Features register theirs in `configure`.
public struct ScheduledTask: Sendable {
    public let name: String
    public let summary: String
    public let interval: TimeInterval
    public let jitter: TimeInterval
    /// Returns a short human summary of what the run did ("deleted 12 events").
    public let run: @Sendable (TaskContext) async throws -> String

    public init(name: String, summary: String, interval: TimeInterval, jitter: TimeInterval = 0,
                run: @escaping @Sendable (TaskContext) async throws -> String) {
        self.name = name
        self.summary = summary
        self.interval = interval
        self.jitter = jitter
        self.run = run
    }
}

public struct TaskContext: Sendable {
    public let application: Application
    public let database: any Database
    public let logger: Logger
}

/// All tasks of this process, with interval overrides from configuration applied.
public final class TaskRegistry: Sendable {
    private let storage: NIOLockedValueBox<[String: ScheduledTask]> = .init([:])
    private let overrides: [String: Int]

    init(overrides: [String: Int]) { self.overrides = overrides }

    public func register(_ task: ScheduledTask) {
        let interval = overrides[task.name].map(TimeInterval.init) ?? task.interval
        let effective = ScheduledTask(name: task.name, summary: task.summary, interval: interval,
                                      jitter: min(task.jitter, interval / 2), run: task.run)
        storage.withLockedValue { $0[task.name] = effective }
    }

    public var all: [ScheduledTask] { storage.withLockedValue { $0.values.sorted { $0.name < $1.name } } }

    public func task(named name: String) -> ScheduledTask? { storage.withLockedValue { $0[name] } }
}
