import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnitySSH
import UnitySSHTestSupport
@testable import UnityApp

/// Rootless Podman whose user socket is not running (`podman.socket` never enabled), reached over a
/// real sshd as an unprivileged user with the real podman 4.3: `podman system dial-stdio` fails at
/// once, and Unity says what to run instead of hanging or answering a generic error.
@Suite(.enabled(if: SSHD.enabled), .serialized, .timeLimit(.minutes(2)))
struct PodmanSocketOverSSHTests {
    @Test func aStoppedUserSocketIsPodmanSocketNotRunning() async throws {
        _ = try TestEngine.podman() // installs podman when missing; the user's own socket is never started
        try SSHD.ensurePasswordUser()
        let before = Self.pausePIDs()
        defer { for pid in Self.pausePIDs().subtracting(before) { kill(pid, SIGKILL) } }
        let key = try TestKeys.ed25519()
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)]) { sshd in
            let executor = NIOSSHTransport()
            let target = try sshd.target(.password(SSHD.password), user: SSHD.passwordUser)
            let transport = SSHDialStdioTransport(executor: executor, target: target, engine: .podman)
            let started = ContinuousClock.now
            var caught: ContainerEngineError?
            do {
                _ = try await DockerAPIEngine(transport: transport).facts()
            } catch let error as ContainerEngineError {
                caught = error
            } catch {}
            await executor.shutdown()
            #expect(ContinuousClock.now - started < .seconds(15), "no hang")
            let error = try #require(caught)
            #expect(error.code == "podman_socket_not_running", "\(error)")
            #expect(error.message.contains("systemctl --user enable --now podman.socket"))
            #expect(error.isUnreachable)
            let answer = error.apiError
            #expect(answer.status == .serviceUnavailable && answer.code == "podman_socket_not_running")
        }
    }

    /// Rootless podman leaves a `catatonit -P` pause process per user; the ones this test started are stopped.
    static func pausePIDs() -> Set<pid_t> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return Set(entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let command = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8),
                  command.hasPrefix("catatonit\0-P") else { return nil }
            return pid
        })
    }
}
