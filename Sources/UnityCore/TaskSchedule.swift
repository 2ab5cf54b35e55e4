import Foundation

/// When a scheduled task is due next. Pure, so the rule is tested without clocks.
///
/// Jitter spreads tasks that share an interval so that a fleet of replicas, or many tasks with the
/// same period, do not all hit the database and remote hosts in the same second.
public struct TaskSchedule: Sendable, Equatable {
    public var interval: TimeInterval
    public var jitter: TimeInterval

    public init(interval: TimeInterval, jitter: TimeInterval = 0) {
        self.interval = max(1, interval)
        self.jitter = max(0, min(jitter, interval / 2))
    }

    /// `randomUnit` in 0...1 is injected so the function stays deterministic under test.
    public func nextDue(after start: Date, randomUnit: Double) -> Date {
        let unit = min(max(randomUnit, 0), 1)
        return start.addingTimeInterval(interval + jitter * unit)
    }
}
