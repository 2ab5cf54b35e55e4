import Fluent
import Vapor

/// `unity task list` and `unity task run NAME`.
struct TaskCommand: AsyncCommandGroup {
    var help: String { "List scheduled tasks or run one now" }
    var commands: [String: any AnyAsyncCommand] { ["list": TaskListCommand(), "run": TaskRunCommand()] }
}

struct TaskListCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "List scheduled tasks and when they run next" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
            for task in app.unity.tasks.all {
                let lease = try await TaskLease.find(task.name, on: app.db)
                let next = lease.map { ISO8601DateFormatter().string(from: $0.nextDueAt) } ?? "not scheduled yet"
                context.console.print("\(task.name)\tevery \(Int(task.interval))s\tnext \(next)\t\(task.summary)")
            }
    }
}

struct TaskRunCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "name", help: "the task to run")
        var name: String
    }

    var help: String { "Run one task now (waits for it; refuses while it runs elsewhere)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
            guard let task = app.unity.tasks.task(named: signature.name) else { throw CommandError("no task named \(signature.name)") }
            switch try await TaskRunner.runIfClaimed(task, trigger: "cli", application: app) {
            case .ran(let run):
                context.console.print("\(task.name): \(run.status) in \(run.durationMilliseconds ?? 0) ms — \(run.summary ?? run.error ?? "")")
                if run.status != "succeeded" { throw CommandError("task failed") }
            case .busy, .notDue:
                throw CommandError("\(task.name) is running elsewhere right now")
            }
    }
}
