import Foundation
import Testing
import UnityCore

/// No child inherits Unity's environment: whatever the parent holds (the master key, the first
/// admin's password, the database URL), a child sees PATH, HOME, LANG and what its caller passed.
struct ChildEnvironmentTests {
    static let canaries = ["UNITY_MASTER_KEY", "DATABASE_URL", "UNITY_ADMIN_PASSWORD"]

    /// Sets the canaries in this process's own environment for the duration of `body`.
    static func withSecretsInOurEnvironment<T>(_ body: (String) async throws -> T) async rethrows -> T {
        let value = "env-probe-\(UUID().uuidString)"
        for name in canaries { setenv(name, value, 1) }
        defer { for name in canaries { unsetenv(name) } }
        return try await body(value)
    }

    /// `/proc/<pid>/environ` as NAME=value strings.
    static func environ(of pid: pid_t) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func aSpawnedChildHasNoneOfOurSecrets() async throws {
        try await Self.withSecretsInOurEnvironment { value in
            let null = open("/dev/null", O_RDWR | O_CLOEXEC)
            defer { close(null) }
            let pid = try ChildProcess.spawn("/bin/sleep", ["30"], stdin: null, stdout: null, stderr: null)
            defer { kill(pid, SIGKILL); _ = ChildProcess.wait(pid) }
            // The child has exec'd once its cmdline is sleep's.
            for _ in 0..<100 where (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.hasPrefix("/bin/sleep") != true {
                try await Task.sleep(for: .milliseconds(10))
            }
            let environment = try Self.environ(of: pid)
            #expect(!environment.contains { $0.hasPrefix("UNITY_") || $0.hasPrefix("DATABASE_URL=") || $0.contains(value) }, "\(environment)")
            #expect(Set(environment.map { String($0.prefix { $0 != "=" }) }) == ["PATH", "HOME", "LANG"], "\(environment)")
        }
    }

    @Test func theRunnerPassesExactlyTheBaseAndWhatTheCallerAdds() async throws {
        try await Self.withSecretsInOurEnvironment { value in
            let out = try await ProcessRunner.run("/usr/bin/env", [], environment: ["EXEC_MODE": "RAW"], timeout: .seconds(10), maxOutput: 1 << 16)
            let lines = Set(String(decoding: out.stdout, as: UTF8.self).split(separator: "\n").map(String.init))
            #expect(!lines.contains { $0.contains(value) }, "\(lines)")
            #expect(lines == ["PATH=\(ChildEnvironment.path)", "LANG=C.UTF-8", "EXEC_MODE=RAW",
                              lines.first { $0.hasPrefix("HOME=") } ?? "HOME=?"], "\(lines)")
        }
    }

    @Test func callersCannotReplaceTheBaseOrSetLoaderAndShellVariables() async {
        for name in ["PATH", "HOME", "LD_PRELOAD", "LD_LIBRARY_PATH", "BASH_ENV", "ENV", "BASH_FUNC_x%%", "A=B"] {
            let error = await ProcessRunnerTests.caught {
                _ = try await ProcessRunner.run("/bin/true", [], environment: [name: "/tmp/x"], timeout: .seconds(5), maxOutput: 100)
            }
            #expect(error == .cannotStart("the environment variable \(name) is not passed to programs"), "\(name)")
        }
    }
}
