import Fluent
import NIOConcurrencyHelpers
import UnityCore
import Vapor

/// The loop that starts due tasks. It runs only under `serve` (Vapor boots the application for
/// every command, `migrate` included) and only when `UNITY_SCHEDULER` is on. Due times live in
/// the database, so they survive restarts and are shared by replicas.
final class Scheduler: LifecycleHandler, @unchecked Sendable {
    private let tick: Duration
    private let loop: NIOLockedValueBox<Task<Void, Never>?> = .init(nil)

    init(tick: Duration = .seconds(1)) { self.tick = tick }

    func didBootAsync(_ application: Application) async throws {
        let tick = self.tick
        loop.withLockedValue { current in
            current = Task { await Self.run(application: application, tick: tick) }
        }
        application.logger.info("scheduler started", metadata: ["replica": "\(application.unity.replicaID)", "tasks": "\(application.unity.tasks.all.count)"])
    }

    func shutdownAsync(_ application: Application) async {
        let task = loop.withLockedValue { current -> Task<Void, Never>? in
            defer { current = nil }
            return current
        }
        task?.cancel()
        await task?.value
    }

    private static func run(application: Application, tick: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            let running = NIOLockedValueBox<Set<String>>([])
            while !Task.isCancelled {
                for task in application.unity.tasks.all {
                    let alreadyRunning = running.withLockedValue { !$0.insert(task.name).inserted }
                    if alreadyRunning { continue }
                    group.addTask {
                        defer { running.withLockedValue { _ = $0.remove(task.name) } }
                        do {
                            _ = try await TaskRunner.runIfClaimed(task, trigger: "schedule", application: application)
                        } catch {
                            application.logger.warning("scheduler could not run task", metadata: ["task": "\(task.name)", "error": "\(error)"])
                        }
                    }
                }
                try? await Task.sleep(for: tick)
            }
            // Cancellation reaches the running tasks through the group; wait for them to record.
            await group.waitForAll()
        }
    }
}
