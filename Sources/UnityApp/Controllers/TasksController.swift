import Fluent
import Vapor

struct TaskDTO: Content, APIExample {
    var name: String
    var summary: String
    var intervalSeconds: Int
    var nextRunAt: Date?
    var running: Bool
    var lastRun: TaskRunDTO?
    static var example: TaskDTO {
        .init(name: "audit-retention", summary: "Delete old audit events", intervalSeconds: 86_400, nextRunAt: Date(), running: false, lastRun: .example)
    }
}

struct TaskRunDTO: Content, APIExample {
    var id: UUID
    var task: String
    var replica: String
    var trigger: String
    var status: String
    var startedAt: Date
    var finishedAt: Date?
    var durationMs: Int?
    var error: String?
    var summary: String?

    init(_ run: TaskRun) throws {
        id = try run.requireID(); task = run.task; replica = run.replica; trigger = run.trigger; status = run.status
        startedAt = run.startedAt; finishedAt = run.finishedAt; durationMs = run.durationMilliseconds
        error = run.error; summary = run.summary
    }

    private init() {
        id = UUID(); task = "audit-retention"; replica = "host-123"; trigger = "schedule"; status = "succeeded"
        startedAt = Date(); finishedAt = Date(); durationMs = 12; error = "…"; summary = "deleted 0 audit events"
    }

    static var example: TaskRunDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["status": ["running", "succeeded", "failed"], "trigger": ["schedule", "manual", "cli"]]
    }
}

/// Scheduled tasks: their state, history, and "run now".
enum TasksController {
    static func list(_ request: Request) async throws -> [TaskDTO] {
        let leases = Dictionary(uniqueKeysWithValues: try await TaskLease.query(on: request.db).all().compactMap { lease in
            lease.id.map { ($0, lease) }
        })
        var result: [TaskDTO] = []
        for task in request.unity.tasks.all {
            let lease = leases[task.name]
            let lastRun = try await TaskRun.query(on: request.db).filter(\.$task == task.name)
                .sort(\.$startedAt, .descending).first()
            let running = lease.map { $0.owner != nil && ($0.leaseUntil ?? .distantPast) > Date() } ?? false
            result.append(TaskDTO(name: task.name, summary: task.summary, intervalSeconds: Int(task.interval),
                                  nextRunAt: lease?.nextDueAt, running: running, lastRun: try lastRun.map(TaskRunDTO.init)))
        }
        return result
    }

    static func runs(_ request: Request) async throws -> Page<TaskRunDTO> {
        let task = try find(request)
        let paging = try PageRequest(request)
        let query = TaskRun.query(on: request.db).filter(\.$task == task.name)
        let total = try await query.count()
        let runs = try await query.sort(\.$startedAt, .descending).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try runs.map(TaskRunDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    static func runNow(_ request: Request) async throws -> TaskRunDTO {
        let task = try find(request)
        switch try await TaskRunner.runIfClaimed(task, trigger: "manual", application: request.application) {
        case .ran(let run):
            request.audit.details["status"] = run.status
            return try TaskRunDTO(run)
        case .busy, .notDue:
            throw APIError.conflict("\(task.name) is already running")
        }
    }

    private static func find(_ request: Request) throws -> ScheduledTask {
        guard let name = request.parameters.get("name"), let task = request.unity.tasks.task(named: name) else {
            throw APIError.notFound("task")
        }
        return task
    }
}
