import FluentKit
import Foundation

/// A container's restart count as a discovery saw it. The engine only reports the running total,
/// and a restart loop outpaces a 5-minute discovery (Docker's back-off starts at 100 ms), so the
/// container events cannot count restarts; the deltas between these marks can.
public final class ContainerRestartMark: Model, @unchecked Sendable {
    public static let schema = "container_restart_marks"

    @ID(key: .id) public var id: UUID?
    @Field(key: "container_id") public var containerID: UUID
    @Field(key: "restart_count") public var restartCount: Int
    @Field(key: "at") public var at: Date

    public init() {}

    public init(containerID: UUID, restartCount: Int, at: Date) {
        self.containerID = containerID; self.restartCount = restartCount; self.at = at
    }
}

/// Restarts within trailing windows, from the marks. Pure except `record`.
public enum ContainerRestartWindows {
    /// The windows Unity counts restarts over: the alert keys `container.restarts_10m` and `_1h`.
    public static let windows: [TimeInterval] = [600, 3_600]
    /// A mark is written when the count changed, and at least this often otherwise, so a mark at or
    /// before every window's start survives pruning.
    static let refresh: TimeInterval = 1_800
    static let retention: TimeInterval = 7_200

    /// Restarts in `(now - window, now]`. The count at the window's start is the newest mark at or
    /// before it; a container created inside the window started from 0; otherwise (history shorter
    /// than the window) the oldest mark is the baseline, so restarts of unknown time never count.
    /// A count that went down (reset by a manual start) gives 0, not a negative number.
    public static func restarts(current: Int, created: Date?, marks: [(at: Date, count: Int)], window: TimeInterval, now: Date) -> Int {
        let start = now.addingTimeInterval(-window)
        let baseline: Int
        if let before = marks.filter({ $0.at <= start }).max(by: { $0.at < $1.at }) {
            baseline = before.count
        } else if let created, created > start {
            baseline = 0
        } else {
            baseline = marks.min(by: { $0.at < $1.at })?.count ?? current
        }
        return max(0, current - baseline)
    }

    /// Writes this discovery's marks for the live `containers` (id, restart count, created), prunes
    /// old ones, and answers the restarts per container for each of `windows`.
    public static func record(_ containers: [(id: UUID, restartCount: Int, created: Date?)], now: Date,
                              on database: any Database) async throws -> [UUID: [Int]] {
        guard !containers.isEmpty else { return [:] }
        let ids = containers.map(\.id)
        try await ContainerRestartMark.query(on: database).filter(\.$containerID ~~ ids)
            .filter(\.$at < now.addingTimeInterval(-retention)).delete()
        let stored = try await ContainerRestartMark.query(on: database).filter(\.$containerID ~~ ids).all()
        let byContainer = Dictionary(grouping: stored, by: \.containerID)
        var result: [UUID: [Int]] = [:]
        for container in containers {
            let marks = (byContainer[container.id] ?? []).map { (at: $0.at, count: $0.restartCount) }
            result[container.id] = windows.map {
                restarts(current: container.restartCount, created: container.created, marks: marks, window: $0, now: now)
            }
            let latest = marks.max { $0.at < $1.at }
            if latest == nil || latest?.count != container.restartCount || now.timeIntervalSince(latest?.at ?? now) >= refresh {
                try await ContainerRestartMark(containerID: container.id, restartCount: container.restartCount, at: now).create(on: database)
            }
        }
        return result
    }
}

/// 027 – containers: restart counts per discovery (restart-loop alerts).
public struct CreateContainerRestartMarks: AsyncMigration {
    public let name = "027-containers-create-restart-marks"
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ContainerRestartMark.schema)
            .id()
            .field("container_id", .uuid, .required, .references(ContainerRecord.schema, "id", onDelete: .cascade))
            .field("restart_count", .int, .required)
            .field("at", .datetime, .required)
            .create()
    }

    public func revert(on database: any Database) async throws { try await database.schema(ContainerRestartMark.schema).delete() }
}
