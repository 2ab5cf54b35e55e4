import Foundation
@testable import UnityACME

/// A child process for tests that is awaited without `waitUntilExit()`: on Linux that call spins
/// a run loop on the cooperative pool, and with a 2-core pool the termination callback it waits
/// for never runs (a deadlock seen here). Exit is reported through `terminationHandler` instead.
final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let state = LockedBox<(exited: Bool, status: Int32, waiters: [CheckedContinuation<Int32, Never>])>(
        (false, 0, []))

    init(_ path: String, _ arguments: [String], environment: [String: String] = [:],
         stdout: Any? = nil, stderr: Any? = nil) {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        process.terminationHandler = { [state] process in
            let waiters = state.withLock { value -> [CheckedContinuation<Int32, Never>] in
                value.exited = true
                value.status = process.terminationStatus
                defer { value.waiters = [] }
                return value.waiters
            }
            for waiter in waiters { waiter.resume(returning: process.terminationStatus) }
        }
    }

    func start() throws { try process.run() }

    var pid: Int32 { process.processIdentifier }

    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done = state.withLock { value -> Int32? in
                if value.exited { return value.status }
                value.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// SIGTERM, then SIGKILL after two seconds, and wait for the exit.
    func stop() async {
        guard !state.withLock({ $0.exited }) else { return }
        let pid = process.processIdentifier
        process.terminate()
        let killer = Task {
            try await Task.sleep(for: .seconds(2))
            kill(pid, SIGKILL)
        }
        _ = await wait()
        killer.cancel()
    }

    /// Runs to completion and returns (status, stdout).
    static func run(_ path: String, _ arguments: [String]) async throws -> (Int32, String) {
        let pipe = Pipe()
        let child = ChildProcess(path, arguments, stdout: pipe)
        try child.start()
        // Read before waiting so a large output cannot fill the pipe and stall the child.
        let data = await Task.detached { pipe.fileHandleForReading.readDataToEndOfFile() }.value
        let status = await child.wait()
        return (status, String(decoding: data, as: UTF8.self))
    }

    static func checked(_ path: String, _ arguments: [String]) async throws -> String {
        let (status, output) = try await run(path, arguments)
        guard status == 0 else { throw HarnessError("\(path) exited \(status)") }
        return output
    }
}
