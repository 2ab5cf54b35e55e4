import Foundation
import UnityCore

/// A child process awaited through `terminationHandler`, never `waitUntilExit()`: on Linux that
/// call spins a run loop on the cooperative pool and can deadlock a 2-core pool (seen in
/// UnityACMETests, whose ChildProcess this mirrors).
public final class TestChildProcess: @unchecked Sendable {
    private struct State {
        var exited = false
        var status: Int32 = 0
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    private let process: Process
    private let state = LockedValue(State())

    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:], stdout: Any? = nil, stderr: Any? = nil) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        self.process = process
        process.terminationHandler = { [state] process in
            let status = process.terminationStatus
            let waiters = state.withLock { value in
                value.exited = true
                value.status = status
                defer { value.waiters = [] }
                return value.waiters
            }
            for waiter in waiters { waiter.resume(returning: status) }
        }
    }

    public func start() throws { try process.run() }

    public var pid: Int32 { process.processIdentifier }

    public func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done: Int32? = state.withLock { value in
                if value.exited { return value.status }
                value.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// SIGTERM, then SIGKILL after two seconds, and wait for the exit.
    public func stop() async {
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

    /// Runs to completion; throws unless it exits 0. Returns stdout.
    @discardableResult
    public static func checked(_ path: String, _ arguments: [String]) async throws -> String {
        let pipe = Pipe()
        let child = TestChildProcess(path, arguments, stdout: pipe)
        try child.start()
        // Read before waiting so a large output cannot fill the pipe and stall the child.
        let data = await Task.detached { pipe.fileHandleForReading.readDataToEndOfFile() }.value
        let status = await child.wait()
        guard status == 0 else { throw TestSupportError("\(path) exited \(status)") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Free TCP ports on 127.0.0.1 (bound to port 0, read back, closed), never the same one twice in
/// a process, so parallel tests do not collide.
public enum TestPorts {
    private static let handedOut = LockedValue<Set<Int>>([])

    public static func take(_ count: Int) throws -> [Int] {
        var ports: [Int] = []
        while ports.count < count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw TestSupportError("socket() failed") }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
                }
            }
            guard bound else { throw TestSupportError("bind() failed") }
            let port = Int(UInt16(bigEndian: address.sin_port))
            if handedOut.withLock({ $0.insert(port).inserted }) { ports.append(port) }
        }
        return ports
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
