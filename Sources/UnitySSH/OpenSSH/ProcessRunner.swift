import Foundation
import NIOConcurrencyHelpers

/// Runs a local program (ssh, ssh-keyscan) with stdin bytes, a timeout, an output cap and cancellation.
/// Each run gets one plain thread for its blocking poll/waitpid, so no Swift concurrency thread ever blocks.
enum ProcessRunner {
    struct Output: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    /// Tracks whether the child may still be signalled: never kill a pid after it was reaped (pid reuse).
    private struct State {
        var pid: pid_t?
        var failure: SSHError?
    }

    static func run(
        _ executable: String, _ arguments: [String], stdin: Data? = nil,
        timeout: Duration, maxOutput: Int
    ) async throws -> Output {
        let state = NIOLockedValueBox(State())
        let abort: @Sendable (SSHError) -> Void = { error in
            state.withLockedValue { state in
                guard state.failure == nil, let pid = state.pid else { return }
                state.failure = error
                kill(pid, SIGKILL)
            }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            abort(.commandTimeout)
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
                let thread = Thread {
                    continuation.resume(with: Result { () throws(SSHError) -> Output in
                        try runBlocking(executable, arguments, stdin: stdin, maxOutput: maxOutput, state: state, abort: abort)
                    }.mapError { $0 as any Error })
                }
                thread.start()
            }
        } onCancel: {
            abort(.cancelled)
        }
    }

    private static func runBlocking(
        _ executable: String, _ arguments: [String], stdin: Data?, maxOutput: Int,
        state: NIOLockedValueBox<State>, abort: @Sendable (SSHError) -> Void
    ) throws(SSHError) -> Output {
        let input = try ChildProcess.pipe(), output = try ChildProcess.pipe(), errors = try ChildProcess.pipe()
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(executable, arguments, stdin: input.read, stdout: output.write, stderr: errors.write)
        } catch {
            [input.read, input.write, output.read, output.write, errors.read, errors.write].forEach { close($0) }
            throw error
        }
        close(input.read)
        close(output.write)
        close(errors.write)
        state.withLockedValue { $0.pid = pid }
        // stdin is at most a password line, far below the pipe buffer: this write cannot block.
        if let stdin, !stdin.isEmpty {
            _ = stdin.withUnsafeBytes { write(input.write, $0.baseAddress, $0.count) }
        }
        close(input.write)
        let (stdout, stderr) = ChildProcess.drain(
            output.read, errors.read, limit: maxOutput,
            shouldStop: { state.withLockedValue { $0.failure != nil } },
            onOverflow: { abort(.outputTooLarge(limit: maxOutput)) }
        )
        close(output.read)
        close(errors.read)
        let status = ChildProcess.wait(pid)
        let failure = state.withLockedValue { state -> SSHError? in
            state.pid = nil
            return state.failure
        }
        if let failure { throw failure }
        return Output(status: status, stdout: stdout, stderr: stderr)
    }
}
