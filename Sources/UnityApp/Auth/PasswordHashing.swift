import NIOPosix
import Vapor

/// Every bcrypt hash and check of a request runs here, on a small thread pool of its own behind a
/// gate. Vapor's default would use the application's shared thread pool, which the SQLite driver
/// also blocks on: a burst of sign-ins (each ~250 ms of bcrypt) then starved the database queries
/// into pool timeouts, answered 500. Here at most `threads` hashes run and at most `maxWaiting`
/// wait; the rest are told to retry (429 with Retry-After) instead of queueing without bound.
final class PasswordHashing: Sendable {
    static let threads = 2
    static let maxWaiting = 64

    private let pool: NIOThreadPool
    private let hasher: any PasswordHasher
    private let gate = HashingGate(capacity: PasswordHashing.threads, maxWaiting: PasswordHashing.maxWaiting)

    /// `hasher` is the configured algorithm (bcrypt with the configured cost), run synchronously.
    init(hasher: any PasswordHasher) {
        pool = NIOThreadPool(numberOfThreads: Self.threads)
        pool.start()
        self.hasher = hasher
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await gated { [hasher] in try hasher.verify(password, created: hash) }
    }

    func hash(_ password: String) async throws -> String {
        try await gated { [hasher] in try hasher.hash(password) }
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    private func gated<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard await gate.enter() else {
            throw APIError(status: .tooManyRequests, code: "busy", message: "too many password checks at once; try again in a second",
                           headers: ["Retry-After": "1"])
        }
        do {
            let result = try await pool.runIfActive(work)
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }
}

/// A counting semaphore with a bounded queue: who cannot even queue is refused at once.
actor HashingGate {
    private let capacity: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(capacity: Int, maxWaiting: Int) {
        self.capacity = capacity
        self.maxWaiting = maxWaiting
    }

    /// False when the queue is full; otherwise returns once a place is free (and holds it).
    func enter() async -> Bool {
        if running < capacity {
            running += 1
            return true
        }
        guard waiting.count < maxWaiting else { return false }
        await withCheckedContinuation { waiting.append($0) }
        return true
    }

    var waitingCount: Int { waiting.count }
    var runningCount: Int { running }

    /// Hands the place to the next waiter, or frees it.
    func leave() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}

/// Stops the hashing threads with the application.
struct PasswordHashingShutdown: LifecycleHandler {
    let hashing: PasswordHashing

    func shutdownAsync(_ application: Application) async { await hashing.shutdown() }
}
