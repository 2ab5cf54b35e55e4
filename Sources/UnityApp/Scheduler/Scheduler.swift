import Fluent
import NIOConcurrencyHelpers
import UnityCore
import Vapor

/// The loop that starts due tasks. It runs only under `serve` (Vapor boots the application for
/// every command, `migrate` included) and only when `UNITY_SCHEDULER` is on. Due times live in
/// the database, so they survive restarts and are shared by replicas.
///
/// Idle cost is one read of all leases per wake-up, and a wake-up comes at the earliest due time
/// (or lease expiry) but at least every `idleCheck`, so a lease changed by another replica is seen
/// within seconds. Only tasks that are due are claimed; the claim itself stays the replica-safe
/// compare-and-set of `TaskLeases`.
final class Scheduler: LifecycleHandler, @unchecked Sendable {
    private let tick: Duration
    private let idleCheck: Duration
    private let loop: NIOLockedValueBox<Task<Void, Never>?> = .init(nil)
    let probe = SchedulerProbe()

    /// - Parameters:
    ///   - tick: the shortest pause between two wake-ups.
    ///   - idleCheck: the longest pause, whatever the due times say.
    init(tick: Duration = .seconds(1), idleCheck: Duration = .seconds(5)) {
        self.tick = tick
        self.idleCheck = max(tick, idleCheck)
    }

    func didBootAsync(_ application: Application) async throws {
        let (tick, idleCheck, probe) = (self.tick, self.idleCheck, self.probe)
        loop.withLockedValue { current in
            current = Task { await Self.run(application: application, tick: tick, idleCheck: idleCheck, probe: probe) }
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

    private static func run(application: Application, tick: Duration, idleCheck: Duration, probe: SchedulerProbe) async {
        // A discarding group frees each child as soon as it ends; a plain group keeps every
        // finished child until it is awaited, which grew the idle server without bound.
        await withDiscardingTaskGroup { group in
            let running = NIOLockedValueBox<Set<String>>([])
            while !Task.isCancelled {
                let now = Date()
                var wake = now.addingTimeInterval(idleCheck.seconds)
                do {
                    let leases = try await TaskLeases.all(on: application.db)
                    probe.recordLeaseRead()
                    for task in application.unity.tasks.all {
                        if running.withLockedValue({ $0.contains(task.name) }) {
                            if let lease = leases[task.name] { wake = min(wake, lease.nextWake(now: now)) }
                            continue
                        }
                        let lease: TaskLease
                        if let known = leases[task.name] { lease = known } else {
                            lease = try await TaskLeases.ensure(task, on: application.db, now: now)
                        }
                        guard lease.isDue(now: now) else {
                            wake = min(wake, lease.nextWake(now: now))
                            continue
                        }
                        running.withLockedValue { _ = $0.insert(task.name) }
                        probe.recordChildStarted()
                        // The claim moves the due time one interval on; wake for it then.
                        wake = min(wake, max(lease.nextDueAt.addingTimeInterval(task.interval), now))
                        group.addTask {
                            defer {
                                running.withLockedValue { _ = $0.remove(task.name) }
                                probe.recordChildEnded()
                            }
                            do {
                                _ = try await TaskRunner.runIfClaimed(task, trigger: "schedule", application: application)
                            } catch {
                                application.logger.warning("scheduler could not run task", metadata: ["task": "\(task.name)", "error": "\(error)"])
                            }
                        }
                    }
                } catch {
                    application.logger.warning("scheduler could not read task leases", metadata: ["error": "\(error)"])
                }
                let pause = min(max(wake.timeIntervalSince(Date()), tick.seconds), idleCheck.seconds)
                try? await Task.sleep(for: .milliseconds(Int64(pause * 1000)))
            }
            // Cancellation reaches the running tasks through the group, which waits for them to record.
        }
    }
}

/// Counters a test reads to check the loop's idle cost; cheap enough to keep in production.
final class SchedulerProbe: Sendable {
    private let state = NIOLockedValueBox<(leaseReads: Int, started: Int, live: Int)>((0, 0, 0))

    var leaseReads: Int { state.withLockedValue { $0.leaseReads } }
    var childrenStarted: Int { state.withLockedValue { $0.started } }
    var liveChildren: Int { state.withLockedValue { $0.live } }

    func recordLeaseRead() { state.withLockedValue { $0.leaseReads += 1 } }
    func recordChildStarted() { state.withLockedValue { $0.started += 1; $0.live += 1 } }
    func recordChildEnded() { state.withLockedValue { $0.live -= 1 } }
}

private extension Duration {
    var seconds: TimeInterval {
        let (whole, attoseconds) = components
        return TimeInterval(whole) + TimeInterval(attoseconds) / 1e18
    }
}

private extension TaskLease {
    func isHeld(now: Date) -> Bool { owner != nil && (leaseUntil.map { $0 > now } ?? false) }

    func isDue(now: Date) -> Bool { !isHeld(now: now) && nextDueAt <= now }

    /// When this lease could next need the loop: its due time, or the expiry of a lease held
    /// past its due time (the holder may have died).
    func nextWake(now: Date) -> Date {
        if isHeld(now: now), let until = leaseUntil {
            return nextDueAt > now ? min(until, nextDueAt) : until
        }
        return nextDueAt
    }
}
