import Foundation
import UnityCore
import UnitySSHTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Local processes for tests, all through posix_spawn: Foundation's `Process` hangs once an sshd
/// (which closes every inherited descriptor) has run in the same test binary.
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Under CI a missing tool fails the test; elsewhere the tests that need it are skipped.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    static func toolAvailable(_ path: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: path) || isCI
    }

    /// Starts `path` with 0/1/2 wired to the given descriptors (UnitySSH's spawn: clean signal
    /// state, no other descriptors inherited).
    static func start(_ path: String, _ arguments: [String], stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Failure(description: "\(path) is not installed") }
        return try ChildProcess.spawn(path, arguments, stdin: stdin, stdout: stdout, stderr: stderr)
    }

    /// Runs a short command to completion; output goes through temp files (no pipe-buffer deadlock).
    @discardableResult
    static func run(_ path: String, _ arguments: [String], stdin: String? = nil, allowFailure: Bool = false) throws -> (status: Int32, stdout: String, stderr: String) {
        let directory = try temporaryDirectory("unity-spawn")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try (stdin ?? "").write(toFile: directory + "/in", atomically: false, encoding: .utf8)
        let input = open(directory + "/in", O_RDONLY | O_CLOEXEC)
        let output = open(directory + "/out", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        let errors = open(directory + "/err", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        defer { [input, output, errors].forEach { close($0) } }
        let pid = try start(path, arguments, stdin: input, stdout: output, stderr: errors)
        let status = wait(pid)
        let out = (try? String(contentsOfFile: directory + "/out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: directory + "/err", encoding: .utf8)) ?? ""
        guard status == 0 || allowFailure else {
            throw Failure(description: "\(path) \(arguments.joined(separator: " ")) exited \(status): \(err)")
        }
        return (status, out, err)
    }

    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    static func temporaryDirectory(_ prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Each server gets its own loopback address (all of 127/8 is local): parallel tests never
    /// reach each other's servers even when a port number repeats.
    private static let counter = Counter()

    static func uniqueLoopbackAddress() -> String {
        let n = counter.next()
        return "127.\(20 + Int(getpid()) % 80).\(n / 250 % 250).\(n % 250 + 1)"
    }

    // Ports, connect checks and process trees come from the shared sshd harness.
    static func freePort(on address: String) throws -> Int { try SSHD.freePort(on: address) }
    static func canConnect(_ address: String, _ port: Int) -> Bool { SSHD.canConnect(address, port) }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
