import Fluent
import UnityCore
import Vapor

/// Runs one task under its lease and records the run. Shared by the scheduler loop, the
/// `POST /api/v1/tasks/{name}/run` endpoint and `unity task run`.
enum TaskRunner {
    enum Outcome {
        case ran(TaskRun)
        case notDue
        case busy
    }

    static func runIfClaimed(_ task: ScheduledTask, trigger: String, application: Application) async throws -> Outcome {
        let database = application.db
        let replica = application.unity.replicaID
        switch try await TaskLeases.claim(task, replica: replica, manual: trigger != "schedule", on: database) {
        case .notDue: return .notDue
        case .busy: return .busy
        case .claimed: break
        }

        let run = TaskRun()
        run.task = task.name
        run.replica = replica
        run.trigger = trigger
        run.status = "running"
        run.startedAt = Date()
        try await run.create(on: database)

        let logger = Logger(label: "unity.task.\(task.name)")
        let clock = ContinuousClock()
        let started = clock.now
        let renewal = Task {
            // Long runs keep their lease; a crashed replica stops renewing and loses it.
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(TaskLeases.leaseDuration / 3))
                try await TaskLeases.renew(task.name, replica: replica, on: database)
            }
        }
        do {
            let summary = try await task.run(TaskContext(application: application, database: database, logger: logger))
            run.status = "succeeded"
            run.summary = String(summary.prefix(500))
        } catch {
            run.status = "failed"
            run.error = String(String(describing: error).prefix(1000))
            logger.warning("task failed", metadata: ["task": "\(task.name)", "error": "\(error)"])
        }
        renewal.cancel()
        let elapsed = clock.now - started
        run.finishedAt = Date()
        run.durationMilliseconds = elapsed.wholeMilliseconds
        try await run.save(on: database)
        try await TaskLeases.release(task.name, replica: replica, runID: run.id, on: database)
        application.unity.metrics.recordTaskRun(task: task.name, status: run.status, duration: elapsed)
        return .ran(run)
    }
}
