import Foundation
import UnityCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs local processes for the tests that execute the generated script and the probes for
/// real (standing in for the SSH hop). Output goes through temp files so large outputs can
/// never deadlock on a full pipe.
enum Shell {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(
        _ executable: String, _ arguments: [String], stdin: String = "", environment: [String: String] = [:]
    ) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-infra-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in"), out = dir.appendingPathComponent("out")
        let err = dir.appendingPathComponent("err")
        try Data(stdin.utf8).write(to: input)
        let pid = try spawn(executable, arguments, environment: environment, stdin: input.path, stdout: out.path, stderr: err.path)
        let status = wait(pid: pid)
        return Result(
            status: status,
            stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
    }

    /// posix_spawn (UnitySSH's: clean signal state, so `timeout` in the script can stop what it
    /// runs) with stdio from/to files. Foundation's `Process` is avoided on purpose: its
    /// `waitUntilExit` hung here when the child (pg_ctl under runuser) left a daemon behind.
    static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        stdin: String = "/dev/null", stdout: String = "/dev/null", stderr: String = "/dev/null"
    ) throws -> pid_t {
        let input = open(stdin, O_RDONLY | O_CLOEXEC)
        let output = open(stdout, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let errors = open(stderr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { [input, output, errors].filter { $0 >= 0 }.forEach { close($0) } }
        guard input >= 0, output >= 0, errors >= 0 else { throw Failure(description: "cannot open the stdio files of \(executable)") }
        return try ChildProcess.spawn(executable, arguments, stdin: input, stdout: output, stderr: errors, environment: environment)
    }

    /// Blocking wait; the exit status, 128+signal when killed, -1 if the child was not ours.
    static func wait(pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// `/bin/sh -c command`, the way the SSH exec channel would run it.
    static func sh(_ command: String, stdin: String = "") throws -> Result {
        try run("/bin/sh", ["-c", command], stdin: stdin)
    }

    static func which(_ name: String) -> String? {
        let result = try? sh("command -v \(name)")
        let path = result?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return result?.status == 0 && !path.isEmpty ? path : nil
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now (bind to port 0, read it back).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }
}
