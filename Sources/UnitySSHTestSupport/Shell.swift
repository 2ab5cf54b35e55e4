import Foundation
import UnityCore

// Mirrors Tests/UnitySSHTests/Support/Shell.swift (posix_spawn-based; Foundation Process hangs once an sshd ran).
import UnitySSH

/// Runs a local tool synchronously for test setup (ssh-keygen, useradd). Never used for remote work.
public enum Shell {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Synchronous, via the module's posix_spawn helper (Foundation's Process hangs once an sshd runs).
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> String {
        let input = try ChildProcess.pipe(), output = try ChildProcess.pipe(), errors = try ChildProcess.pipe()
        let pid = try ChildProcess.spawn(executable, arguments, stdin: input.read, stdout: output.write, stderr: errors.write)
        [input.read, output.write, errors.write].forEach { close($0) }
        if let stdin { _ = Array(stdin.utf8).withUnsafeBytes { write(input.write, $0.baseAddress, $0.count) } }
        close(input.write)
        let (out, err) = ChildProcess.drain(output.read, errors.read, limit: 1 << 24) {}
        [output.read, errors.read].forEach { close($0) }
        guard ChildProcess.wait(pid) == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed: \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func temporaryDirectory(_ prefix: String = "unity-ssh-test") throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Pids of all descendants of `pid`, from /proc (sshd forks a child per connection).
    public static func descendants(of pid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var children: [Int32: [Int32]] = [:]
        for entry in entries {
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { children[parent, default: []].append(child) }
        }
        var result: [Int32] = []
        var queue = [pid]
        while let next = queue.popLast() {
            let direct = children[next] ?? []
            result += direct
            queue += direct
        }
        return result
    }
}

/// Client keys generated once per test run with the real ssh-keygen.
public enum TestKeys {
    public static let directory: String = (try? Shell.temporaryDirectory("unity-ssh-keys")) ?? "/tmp"

    /// Generates (once) and returns the private-key file path for a key type.
    private static let lock = NSLock()

    public static func path(_ name: String, type: String, bits: String? = nil, format: String? = nil) throws -> String {
        // Parallel tests ask for the same key: generate each once, under a lock.
        lock.lock()
        defer { lock.unlock() }
        let path = "\(directory)/\(name)"
        if !FileManager.default.fileExists(atPath: path) {
            var args = ["-q", "-t", type, "-N", "", "-C", "unity-test-\(name)", "-f", path]
            if let bits { args += ["-b", bits] }
            if let format { args += ["-m", format] }
            try Shell.run("/usr/bin/ssh-keygen", args)
        }
        return path
    }

    public static func load(_ name: String, type: String, bits: String? = nil, format: String? = nil) throws -> SSHPrivateKeyFile {
        let path = try path(name, type: type, bits: bits, format: format)
        return SSHPrivateKeyFile(path: path, text: try String(contentsOfFile: path, encoding: .utf8),
                                 publicLine: try String(contentsOfFile: path + ".pub", encoding: .utf8))
    }

    public static func ed25519() throws -> SSHPrivateKeyFile { try load("ed25519", type: "ed25519") }
    public static func rsa() throws -> SSHPrivateKeyFile { try load("rsa", type: "rsa", bits: "2048") }
}

public struct SSHPrivateKeyFile {
    public let path: String
    public let text: String
    public let publicLine: String
}
