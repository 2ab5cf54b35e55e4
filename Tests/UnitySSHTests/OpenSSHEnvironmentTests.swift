import Crypto
import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// ssh, and the ControlPersist master it leaves running for as long as its connection lives, must
/// hold none of Unity's secrets: whatever environment they got stays readable for that time
/// (`/proc/<pid>/environ` of the client; the master's copy in its memory, since its process title
/// overwrites the original environment area).
@Suite(.enabled(if: SSHD.enabled))
struct OpenSSHEnvironmentTests {
    @Test func sshAndItsControlMasterHoldNoneOfUnitysEnvironment() async throws {
        let names = ["UNITY_MASTER_KEY", "DATABASE_URL", "UNITY_ADMIN_PASSWORD"]
        let value = "env-probe-\(UUID().uuidString)"
        for name in names { setenv(name, value, 1) }
        defer { for name in names { unsetenv(name) } }
        try await withSSHD(hostKeyTypes: ["rsa"], authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            try await Self.check(sshd, value: value)
        }
    }

    static func check(_ sshd: SSHD, value: String) async throws {
        let executor = try AutomaticExecutor()
        let target = try sshd.target(.privateKey(ClientKeys.key("rsa")))
        // ssh's files are in `<transport folder>/<digest of the target's identity>/`.
        let digest = SHA256.hash(data: Data(target.identity.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        let running = Task { try await executor.run(RemoteCommand("sleep 2; echo done"), on: target) }
        var clients: [pid_t] = []
        for _ in 0..<100 where clients.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            clients = Self.processes { $0.contains("/\(digest)/") && $0.contains(" -T ") }
        }
        #expect(!clients.isEmpty, "the ssh client was not seen")
        for pid in clients {
            let environment = Self.environ(of: pid)
            #expect(!environment.contains { $0.hasPrefix("UNITY_") || $0.hasPrefix("DATABASE_URL=") || $0.contains(value) },
                    "ssh \(pid): \(environment)")
        }
        let result = try await running.value
        #expect(result.transport == .openssh && result.stdoutText == "done\n")

        let masters = Self.processes { $0.contains("/\(digest)/c") && $0.contains("[mux]") }
        #expect(!masters.isEmpty, "no ControlPersist master found")
        for pid in masters {
            #expect(Self.environ(of: pid).allSatisfy { !$0.hasPrefix("UNITY_") && !$0.contains(value) })
            #expect(try Self.memory(of: pid, contains: Data(value.utf8)) == false, "the master \(pid) holds Unity's environment")
        }
        await executor.shutdown()
    }

    /// Pids whose command line (arguments joined by spaces) matches.
    static func processes(_ matches: (String) -> Bool) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  let data = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return matches(line) ? pid : nil
        }
    }

    static func environ(of pid: pid_t) -> [String] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Searches the process's writable mappings (heap, stack, data) for `needle`; tests run as root.
    static func memory(of pid: pid_t, contains needle: Data) throws -> Bool {
        let maps = try String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8)
        let mem = open("/proc/\(pid)/mem", O_RDONLY | O_CLOEXEC)
        guard mem >= 0 else { throw Shell.Failure(description: "cannot open /proc/\(pid)/mem (errno \(errno))") }
        defer { close(mem) }
        var searched = 0
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, fields[1].hasPrefix("rw") else { continue }
            let bounds = fields[0].split(separator: "-").compactMap { UInt64($0, radix: 16) }
            guard bounds.count == 2, bounds[1] > bounds[0], bounds[1] - bounds[0] <= 256 << 20 else { continue }
            var buffer = [UInt8](repeating: 0, count: Int(bounds[1] - bounds[0]))
            let count = pread(mem, &buffer, buffer.count, off_t(bounds[0]))
            guard count > 0 else { continue }
            searched += count
            if Data(buffer[0..<count]).range(of: needle) != nil { return true }
        }
        guard searched > 0 else { throw Shell.Failure(description: "nothing of \(pid)'s memory was readable") }
        return false
    }
}
