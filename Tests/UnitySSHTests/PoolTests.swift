import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// The connection pool against real sshd: reuse, server death and recovery, MaxSessions.
@Suite(.enabled(if: SSHD.enabled))
struct PoolTests {
    @Test func reusesOneConnectionAcrossCommandsAndCycles() async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = NIOSSHTransport()
            let target = try sshd.target(.privateKey(ClientKeys.key("ed25519")))
            for _ in 0..<3 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<5 { group.addTask { _ = try await transport.run(RemoteCommand("true"), on: target) } }
                    try await group.waitForAll()
                }
            }
            #expect(await transport.openConnections == 1)
            #expect(sshd.log.components(separatedBy: "Accepted publickey").count == 2)
            await transport.shutdown()
        }
    }

    @Test func sshdKilledMidCommandIsAClearErrorAndThePoolRecovers() async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = NIOSSHTransport()
            let target = try sshd.target(.privateKey(ClientKeys.key("ed25519")))
            _ = try await transport.run(RemoteCommand("true"), on: target)
            let marker = "/tmp/unity-running-\(UUID().uuidString)"
            let running = Task { try await transport.run(RemoteCommand(argv: ["sh", "-c", "touch \(marker); sleep 20"]), on: target) }
            // Kill only once the command really runs remotely (the machine may be busy).
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: marker) { try await Task.sleep(for: .milliseconds(50)) }
            defer { try? FileManager.default.removeItem(atPath: marker) }
            let killedAt = ContinuousClock.now
            sshd.stop()
            #expect(await SSHError.caught { _ = try await running.value } == .connectionClosed)
            // Generous bound: this 2-core machine runs other suites in parallel; a hang would be 20 s.
            #expect(ContinuousClock.now - killedAt < .seconds(8))
            // While it is down: a clear connect error (refused, or the backoff replaying it), no hang.
            let down = await SSHError.caught { _ = try await transport.run(RemoteCommand("true"), on: target) }
            #expect(down == .connectFailed("connection refused") || down == .connectTimeout)
            try await sshd.start()
            try await Task.sleep(for: .seconds(1))  // past the reconnect backoff
            #expect(try await transport.run(RemoteCommand("echo back"), on: target).stdoutText == "back\n")
            await transport.shutdown()
        }
    }

    @Test func maxSessionsBelowOurLimitIsLearnedAndEveryCommandStillRuns() async throws {
        try await withSSHD(maxSessions: 2, authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = NIOSSHTransport()
            let target = try sshd.target(.privateKey(ClientKeys.key("ed25519")))
            let outputs = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<6 {
                    group.addTask { try await transport.run(RemoteCommand(argv: ["sh", "-c", "sleep 0.3; echo \(index)"]), on: target).stdoutText }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outputs.sorted() == (0..<6).map { "\($0)\n" })
            #expect(await transport.openConnections == 1)
            await transport.shutdown()
        }
    }

    @Test func sudoWithAPasswordGoesOverStdin() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo") else {
            // sudo is optional on the test machine; the exact command strings are covered in RemoteCommandTests.
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "CI must install sudo")
            return
        }
        try SSHD.ensurePasswordUser()
        try "\(SSHD.passwordUser) ALL=(ALL) ALL\n".write(toFile: "/etc/sudoers.d/unity-ssh-test", atomically: true, encoding: .utf8)
        try await withSSHD(authorizedKeys: []) { sshd in
            let transport = NIOSSHTransport()
            var target = try sshd.target(.password(SSHD.password), user: SSHD.passwordUser)
            target.sudo = .password(SSHD.password)
            let privileged = RemoteCommand("id -u", privileged: true)
            #expect(try await transport.run(privileged, on: target).stdoutText == "0\n")
            target.sudo = .passwordless
            let refused = try await transport.run(privileged, on: target)
            #expect(refused.exitStatus != 0)  // sudo -n never prompts: it fails at once
            await transport.shutdown()
        }
    }
}
