import Foundation
import UnityCore
#if canImport(Glibc)
import Glibc
#endif

/// Local programs for test set-up (dockerd, podman, tar, apt-get), through UnityCore's posix_spawn.
public enum TestCommand {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let output = try ChildProcess.pipe(), errors = try ChildProcess.pipe()
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let pid = try ChildProcess.spawn(executable, arguments, stdin: null, stdout: output.write, stderr: errors.write,
                                         environment: environment)
        [null, output.write, errors.write].forEach { close($0) }
        let (out, err) = ChildProcess.drain(output.read, errors.read, limit: 1 << 24) {}
        [output.read, errors.read].forEach { close($0) }
        let status = ChildProcess.wait(pid)
        guard status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(status): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func temporaryDirectory(_ prefix: String) throws -> String {
        // Short: unix socket paths must stay under 108 bytes.
        let path = "/tmp/\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Installs the Debian packages whose marker file is missing (policy-rc.d keeps apt from
    /// starting their services, as in scripts/test.sh).
    static func ensurePackages(_ markers: [String: String]) throws {
        let missing = markers.filter { !FileManager.default.fileExists(atPath: $0.key) }.map(\.value)
        guard !missing.isEmpty else { return }
        if !FileManager.default.fileExists(atPath: "/usr/sbin/policy-rc.d") {
            try "#!/bin/sh\nexit 101\n".write(toFile: "/usr/sbin/policy-rc.d", atomically: true, encoding: .utf8)
            chmod("/usr/sbin/policy-rc.d", 0o755)
        }
        try run("/usr/bin/apt-get", ["update", "-qq"])
        try run("/usr/bin/apt-get", ["install", "-y", "-qq", "--no-install-recommends"] + Array(Set(missing)).sorted(),
                environment: ["DEBIAN_FRONTEND": "noninteractive"])
    }

    /// Pids of all descendants of `pid`, from /proc.
    public static func descendants(of pid: pid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var children: [pid_t: [pid_t]] = [:]
        for entry in entries {
            guard let child = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { children[parent, default: []].append(child) }
        }
        var result: [pid_t] = [], queue = [pid]
        while let next = queue.popLast() {
            let direct = children[next] ?? []
            result += direct
            queue += direct
        }
        return result
    }
}
