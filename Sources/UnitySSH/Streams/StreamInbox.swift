import NIOConcurrencyHelpers

/// The receiving half of a command stream, shared by both transports: stdout chunks waiting for the
/// reader, the stderr tail, the exit and whoever waits for them. Thread-safe; the transport feeds it
/// from its event loop or reader thread, the caller drains it from any task.
final class StreamInbox: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var buffered = 0
        var peakBuffered = 0
        var outputEnded = false
        var failure: SSHError?
        var stderr: [UInt8] = []
        var exit: SSHStreamExit?
        var finished = false
        var reader: CheckedContinuation<[UInt8]?, any Error>?
        var exitWaiters: [CheckedContinuation<SSHStreamExit, any Error>] = []

        mutating func takeChunk() -> [UInt8]? {
            guard head < chunks.count else { return nil }
            let chunk = chunks[head]
            head += 1
            buffered -= chunk.count
            if head == chunks.count { chunks.removeAll(keepingCapacity: true); head = 0 }
            return chunk
        }

        /// What a waiting reader gets now, or nil to keep waiting. A cancellation wins over buffered
        /// bytes; any other failure (the connection died) comes after them.
        mutating func readOutcome() -> Result<[UInt8]?, any Error>? {
            if failure == .cancelled { return .failure(SSHError.cancelled) }
            if let chunk = takeChunk() { return .success(chunk) }
            if let failure { return .failure(failure) }
            if outputEnded { return .success(nil) }
            // Gone without EOF: a clean end only if the command really exited, else the connection died.
            if finished { return exit != nil ? .success(nil) : .failure(SSHError.connectionClosed) }
            return nil
        }
    }

    private let state = NIOLockedValueBox(State())
    let maxStderr: Int
    let highWater: Int

    init(maxStderr: Int, highWater: Int = SSHStreamLimits.bufferedBytes) {
        self.maxStderr = max(0, maxStderr)
        self.highWater = highWater
    }

    /// True while the reader has room for more: the transport reads from the network only then. After
    /// a cancellation everything is read and dropped, so the remote side is never stuck on a full window.
    var wantsMore: Bool { state.withLockedValue { $0.buffered < highWater || $0.failure == .cancelled } }
    /// The most stdout ever held at once (tests check the bound).
    var peakBuffered: Int { state.withLockedValue { $0.peakBuffered } }
    var stderr: [UInt8] { state.withLockedValue { $0.stderr } }
    var isFinished: Bool { state.withLockedValue { $0.finished } }
    var exit: SSHStreamExit? { state.withLockedValue { $0.exit } }

    func receive(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        update { state in
            guard state.failure != .cancelled else { return }
            state.chunks.append(bytes)
            state.buffered += bytes.count
            state.peakBuffered = max(state.peakBuffered, state.buffered)
        }
    }

    /// Keeps the last `maxStderr` bytes: a failing program's reason is at the end.
    func receiveStderr(_ bytes: [UInt8]) {
        state.withLockedValue { state in
            state.stderr += bytes
            if state.stderr.count > maxStderr { state.stderr.removeFirst(state.stderr.count - maxStderr) }
        }
    }

    func endOfOutput() {
        update { $0.outputEnded = true }
    }

    /// A failure for the reader (and for exit waiters once the stream finishes without an exit).
    /// The first one sticks.
    func fail(_ error: SSHError) {
        update { state in
            if state.failure == nil { state.failure = error }
        }
    }

    /// The command and its channel are gone; `exit` is nil when no exit status or signal came.
    func finish(exit: SSHStreamExit?) {
        let (waiters, result): ([CheckedContinuation<SSHStreamExit, any Error>], Result<SSHStreamExit, any Error>) = update { state in
            if state.finished == false {
                state.finished = true
                if state.exit == nil { state.exit = exit }
            }
            defer { state.exitWaiters = [] }
            return (state.exitWaiters, Self.exitResult(state))
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    private static func exitResult(_ state: State) -> Result<SSHStreamExit, any Error> {
        if let exit = state.exit { return .success(exit) }
        return .failure(state.failure ?? .connectionClosed)
    }

    /// The next stdout chunk. `requestMore` runs when the buffer has room again or the reader must
    /// wait (the transport then reads from the network); `onCancel` when the calling task is cancelled.
    func read(requestMore: @Sendable () -> Void, onCancel: @escaping @Sendable () -> Void) async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                let (ready, hasRoom): (Result<[UInt8]?, any Error>?, Bool) = state.withLockedValue { state in
                    if Task.isCancelled, state.failure == nil { state.failure = .cancelled }
                    let ready = state.readOutcome()
                    if ready == nil { state.reader = continuation }
                    return (ready, state.buffered < highWater)
                }
                if hasRoom { requestMore() }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            self.fail(.cancelled)
            onCancel()
        }
    }

    func waitForExit() async throws -> SSHStreamExit {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<SSHStreamExit, any Error>) in
            let done: Result<SSHStreamExit, any Error>? = state.withLockedValue { state in
                guard state.finished else {
                    state.exitWaiters.append(continuation)
                    return nil
                }
                return Self.exitResult(state)
            }
            if let done { continuation.resume(with: done) }
        }
    }

    /// Applies `change`, then hands a waiting reader whatever it can now have.
    @discardableResult
    private func update<T>(_ change: (inout State) -> T) -> T {
        let (value, reader, outcome): (T, CheckedContinuation<[UInt8]?, any Error>?, Result<[UInt8]?, any Error>?) =
            state.withLockedValue { state in
                let value = change(&state)
                guard let reader = state.reader, let outcome = state.readOutcome() else { return (value, nil, nil) }
                state.reader = nil
                return (value, reader, outcome)
            }
        if let reader, let outcome { reader.resume(with: outcome) }
        return value
    }
}
