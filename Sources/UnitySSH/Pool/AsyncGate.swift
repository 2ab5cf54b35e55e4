import NIOConcurrencyHelpers
import NIOCore

/// A counting semaphore for async code: channels per connection, handshakes per host, global work.
/// The uncontended path takes one lock and never suspends; waiters resume in FIFO order and may be
/// cancelled or timed out (timeouts ride on an event-loop timer, not an extra Task per wait).
final class AsyncGate: Sendable {
    private struct State {
        var limit: Int
        var inUse = 0
        var nextID = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let state: NIOLockedValueBox<State>

    init(limit: Int) {
        state = NIOLockedValueBox(State(limit: max(1, limit)))
    }

    var limit: Int { state.withLockedValue { $0.limit } }
    var inUse: Int { state.withLockedValue { $0.inUse } }

    /// Waits for a slot. Throws `timeoutError` once `deadline` passes, `.cancelled` on task cancellation.
    func acquire(deadline: NIODeadline? = nil, on loop: (any EventLoop)? = nil, timeoutError: SSHError = .commandTimeout) async throws {
        let fast: Int? = state.withLockedValue { state in
            if state.inUse < state.limit, state.waiters.isEmpty {
                state.inUse += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id = fast else { return }
        let timer = deadline.flatMap { deadline in
            loop?.scheduleTask(deadline: deadline) { self.drop(id, error: timeoutError) }
        }
        defer { timer?.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLockedValue { state in
                    // A slot may have been freed between the fast path and here.
                    if state.inUse < state.limit, state.waiters.isEmpty {
                        state.inUse += 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.drop(id, error: .cancelled)
        }
    }

    func release() {
        let next: CheckedContinuation<Void, any Error>? = state.withLockedValue { state in
            state.inUse -= 1
            guard state.inUse < state.limit, !state.waiters.isEmpty else { return nil }
            state.inUse += 1
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }

    /// Learned from the server (e.g. MaxSessions lower than configured): fewer concurrent slots from now on.
    func lowerLimit(to newLimit: Int) {
        state.withLockedValue { $0.limit = max(1, min($0.limit, newLimit)) }
    }

    private func drop(_ id: Int, error: SSHError) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, any Error>? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index).continuation
        }
        waiter?.resume(throwing: error)
    }

    /// Runs `body` holding one slot.
    func withSlot<T: Sendable>(
        deadline: NIODeadline? = nil, on loop: (any EventLoop)? = nil, timeoutError: SSHError = .commandTimeout,
        _ body: () async throws -> T
    ) async throws -> T {
        try await acquire(deadline: deadline, on: loop, timeoutError: timeoutError)
        defer { release() }
        return try await body()
    }
}
