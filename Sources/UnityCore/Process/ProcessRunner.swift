import Foundation

/// Runs a local program (ssh, ssh-keyscan, a DNS hook) with stdin bytes, a timeout, an output cap and
/// cancellation. Each run gets one plain thread for its blocking poll/waitpid, so no Swift concurrency
/// thread ever blocks. Exit is seen by `waitpid`, not by a descriptor the child could pass on
/// (Foundation's `Process` on Linux never notices an exit while a grandchild holds its socket).
public enum ProcessRunner {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: Data
    }

    /// Tracks whether the child may still be signalled: never kill a pid after it was reaped (pid reuse).
    private struct State {
        var pid: pid_t?
        var failure: ProcessError?
    }

    /// `environment` is what this child needs beyond `ChildEnvironment`'s PATH, HOME and LANG.
    public static func run(
        _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
        timeout: Duration, maxOutput: Int
    ) async throws(ProcessError) -> Output {
        let state = LockedValue(State())
        let abort: @Sendable (ProcessError) -> Void = { error in
            state.withLock { state in
                guard state.failure == nil, let pid = state.pid else { return }
                state.failure = error
                kill(pid, SIGKILL)
            }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            abort(.timeout)
        }
        defer { timer.cancel() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Output, ProcessError>, Never>) in
                let thread = Thread {
                    continuation.resume(returning: Result { () throws(ProcessError) -> Output in
                        try runBlocking(executable, arguments, stdin: stdin, environment: environment, maxOutput: maxOutput,
                                        state: state, abort: abort)
                    })
                }
                thread.start()
            }
        } onCancel: {
            abort(.cancelled)
        }
        return try result.get()
    }

    private static func runBlocking(
        _ executable: String, _ arguments: [String], stdin: Data?, environment: [String: String], maxOutput: Int,
        state: LockedValue<State>, abort: @Sendable (ProcessError) -> Void
    ) throws(ProcessError) -> Output {
        let input = try ChildProcess.pipe(), output = try ChildProcess.pipe(), errors = try ChildProcess.pipe()
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(executable, arguments, stdin: input.read, stdout: output.write, stderr: errors.write,
                                        environment: environment)
        } catch {
            [input.read, input.write, output.read, output.write, errors.read, errors.write].forEach { close($0) }
            throw error
        }
        close(input.read)
        close(output.write)
        close(errors.write)
        state.withLock { $0.pid = pid }
        // stdin is at most a password line or a script, far below the pipe buffer: this write cannot block.
        if let stdin, !stdin.isEmpty {
            _ = stdin.withUnsafeBytes { write(input.write, $0.baseAddress, $0.count) }
        }
        close(input.write)
        let (stdout, stderr) = ChildProcess.drain(
            output.read, errors.read, limit: maxOutput,
            shouldStop: { state.withLock { $0.failure != nil } },
            onOverflow: { abort(.outputTooLarge(limit: maxOutput)) }
        )
        close(output.read)
        close(errors.read)
        let status = ChildProcess.wait(pid)
        let failure = state.withLock { state -> ProcessError? in
            state.pid = nil
            return state.failure
        }
        if let failure { throw failure }
        return Output(status: status, stdout: stdout, stderr: stderr)
    }
}
