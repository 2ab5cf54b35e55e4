import Crypto
import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// The OpenSSH ControlPersist master lives as long as its connection; whatever environment it got
/// stays readable in /proc/<pid>/environ all that time. It must hold none of Unity's secrets.
@Suite(.enabled(if: SSHD.enabled))
struct OpenSSHEnvironmentTests {
    @Test func theControlMasterHoldsNoneOfUnitysEnvironment() async throws {
        let names = ["UNITY_MASTER_KEY", "DATABASE_URL", "UNITY_ADMIN_PASSWORD"]
        let value = "env-probe-\(UUID().uuidString)"
        for name in names { setenv(name, value, 1) }
        defer { for name in names { unsetenv(name) } }
        try await withSSHD(hostKeyTypes: ["rsa"], authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let executor = try AutomaticExecutor()
            let target = try sshd.target(.privateKey(ClientKeys.key("rsa")))
            let result = try await executor.run(RemoteCommand("echo hi"), on: target)
            #expect(result.transport == .openssh && result.stdoutText == "hi\n")
            // The master is `ssh: <connection directory>/c [mux]`; the directory is named by the target's identity.
            let digest = SHA256.hash(data: Data(target.identity.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
            let masters = Self.processes { $0.contains("/\(digest)/c") && $0.contains("[mux]") }
            #expect(!masters.isEmpty, "no ControlPersist master found")
            for pid in masters {
                let environment = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ")))
                    .map { $0.split(separator: 0).map { String(decoding: $0, as: UTF8.self) } } ?? []
                #expect(!environment.isEmpty, "environ of \(pid) unreadable")
                #expect(!environment.contains { $0.hasPrefix("UNITY_") || $0.hasPrefix("DATABASE_URL=") || $0.contains(value) },
                        "\(environment)")
            }
            await executor.shutdown()
        }
    }

    /// Pids whose command line matches.
    static func processes(_ matches: (String) -> Bool) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  let data = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return matches(line) ? pid : nil
        }
    }
}
