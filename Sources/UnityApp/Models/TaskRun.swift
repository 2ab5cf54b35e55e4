import Fluent
import Vapor

/// One execution of a scheduled task, kept for history and for `GET /api/v1/tasks`.
final class TaskRun: Model, @unchecked Sendable {
    static let schema = "task_runs"

    @ID(key: .id) var id: UUID?
    @Field(key: "task") var task: String
    @Field(key: "replica") var replica: String
    @Field(key: "trigger") var trigger: String
    @Field(key: "status") var status: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "duration_ms") var durationMilliseconds: Int?
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "summary") var summary: String?

    init() {}
}

/// The lease that makes a task run on exactly one replica at a time. Claimed by a compare-and-set
/// on `version`, which every SQL database does atomically, so no advisory-lock dialect is needed.
final class TaskLease: Model, @unchecked Sendable {
    static let schema = "task_leases"

    @ID(custom: "task", generatedBy: .user) var id: String?
    @Field(key: "version") var version: Int
    @OptionalField(key: "owner") var owner: String?
    @OptionalField(key: "lease_until") var leaseUntil: Date?
    @Field(key: "next_due_at") var nextDueAt: Date
    @OptionalField(key: "last_run_id") var lastRunID: UUID?

    init() {}

    init(task: String, nextDueAt: Date) {
        self.id = task
        self.version = 0
        self.nextDueAt = nextDueAt
    }
}
