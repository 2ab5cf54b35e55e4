import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnitySSH
import UnitySSHTestSupport
import UnityTestSupport
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

    /// Through the API: a server whose SSH user has only podman (no docker on its PATH) and no running
    /// user socket becomes a container host that says so, and "discover now" answers 503 with the code.
    @Test func enablingContainersOnSuchAServerSaysWhatToRun() async throws {
        _ = try TestEngine.podman()
        try SSHD.ensurePasswordUser()
        let before = Self.pausePIDs()
        defer { for pid in Self.pausePIDs().subtracting(before) { kill(pid, SIGKILL) } }
        let key = try TestKeys.ed25519()
        let path = try Self.rootlessPodmanPath()
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)], extraConfig: ["SetEnv PATH=\(path)"]) { sshd in
            try await withUnityApp { app in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin,
                                                               json: ["name": "k", "private_key": key.text]).json["id"] as? String)
                let server = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                    "name": "podman-box", "address": sshd.address, "port": sshd.port, "username": SSHD.passwordUser, "ssh_key_id": keyID,
                ]).json["id"] as? String)
                #expect(try await client.send(.POST, "/api/v1/servers/\(server)/test", token: admin).status == .ok)
                let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["server_id": server])
                #expect(host.status == .created, "\(host.body)")
                #expect(host.json["status"] as? String == "unreachable", "\(host.body)")
                #expect(host.json["last_error_code"] as? String == "podman_socket_not_running", "\(host.body)")
                let hostID = try #require(host.json["id"] as? String)
                let started = ContinuousClock.now
                let discover = try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin)
                #expect(ContinuousClock.now - started < .seconds(15))
                #expect(discover.status == .serviceUnavailable && discover.errorCode == "podman_socket_not_running", "\(discover.body)")
                #expect(discover.errorMessage?.contains("systemctl --user enable --now podman.socket") == true)
            }
        }
    }

    /// A PATH with podman and the uid-map helpers rootless podman runs, but no docker (/usr/bin has both).
    static func rootlessPodmanPath() throws -> String {
        let folder = try TestCommand.temporaryDirectory("unity-rootless-podman")
        for program in ["podman", "newuidmap", "newgidmap"] {
            try FileManager.default.createSymbolicLink(atPath: "\(folder)/\(program)", withDestinationPath: "/usr/bin/\(program)")
        }
        let system = ["/usr/local/sbin", "/usr/sbin", "/sbin", "/bin"].filter { !FileManager.default.fileExists(atPath: $0 + "/docker") }
        return (system + [folder]).joined(separator: ":")
    }

    /// Rootless podman leaves a `catatonit -P` pause process per user; the ones a test started are stopped.
    static func pausePIDs() -> Set<pid_t> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return Set(entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let command = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8),
                  command.hasPrefix("catatonit\0-P") else { return nil }
            return pid
        })
    }
}
