import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// swift-nio-ssh transport against real sshd instances.
@Suite(.enabled(if: SSHD.enabled))
struct NIOTransportTests {
    @Test(arguments: ["ed25519", "p256", "p384", "p521"])
    func logsInWithEachKeyTypeAndKeepsStreamsApart(keyName: String) async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = NIOSSHTransport()
            defer { Task { await transport.shutdown() } }
            let target = try sshd.target(.privateKey(ClientKeys.key(keyName)))
            let result = try await transport.run(RemoteCommand("echo out; echo err >&2; exit 3"), on: target)
            #expect(result.stdoutText == "out\n")
            #expect(result.stderrText == "err\n")
            #expect(result.exitStatus == 3)
            #expect(result.transport == .nio)
            #expect(result.hostKey == (try sshd.pins()).first)
        }
    }

    @Test func logsInWithAPassword() async throws {
        try SSHD.ensurePasswordUser()
        try await withSSHD(authorizedKeys: []) { sshd in
            let transport = NIOSSHTransport()
            let target = try sshd.target(.password(SSHD.password), user: SSHD.passwordUser)
            let result = try await transport.run(RemoteCommand("id -un"), on: target)
            #expect(result.stdoutText == "\(SSHD.passwordUser)\n")
            let wrong = try sshd.target(.password("wrong"), user: SSHD.passwordUser)
            #expect(await SSHError.caught { _ = try await transport.run(RemoteCommand("true"), on: wrong) } == .authenticationFailed)
            await transport.shutdown()
        }
    }

    @Test func wrongKeyIsAClearAuthenticationError() async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = NIOSSHTransport()
            let stranger = SSHPrivateKey.generateEd25519()
            let error = await SSHError.caught { _ = try await transport.run(RemoteCommand("true"), on: sshd.target(.privateKey(stranger))) }
            #expect(error == .authenticationFailed)
            await transport.shutdown()
        }
    }

    @Test func trustOnFirstUseReturnsThePresentedKeyAndUnknownKeysAreRefused() async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = NIOSSHTransport()
            let key = try ClientKeys.key("ed25519")
            let first = try await transport.run(RemoteCommand("true"), on: sshd.target(.privateKey(key), policy: .trustOnFirstUse))
            #expect(first.hostKey == (try sshd.pins()).first)
            let none = await SSHError.caught { _ = try await transport.run(RemoteCommand("true"), on: sshd.target(.privateKey(key), policy: .pinned([]))) }
            #expect(none == .hostKeyUnknown(presented: try sshd.pins()[0]))
            await transport.shutdown()
        }
    }

    /// Acceptance 2: a re-keyed host is refused, nothing is sent (no auth, no command), and the error
    /// carries both keys for the alert and the admin's decision.
    @Test func rekeyedHostIsRefusedBeforeAnythingIsSent() async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = NIOSSHTransport()
            let marker = "/tmp/unity-rekey-\(UUID().uuidString)"
            let target = try sshd.target(.privateKey(ClientKeys.key("ed25519")))
            let oldPins = try sshd.pins()
            _ = try await transport.run(RemoteCommand("true"), on: target)
            sshd.stop()
            try sshd.rekey()
            try await sshd.start()
            let error = await SSHError.caught {
                _ = try await transport.run(RemoteCommand(argv: ["touch", marker]), on: target)
            }
            #expect(error == .hostKeyChanged(expected: oldPins, presented: try sshd.pins()[0]))
            #expect(error?.isHostKeyProblem == true)
            #expect(!FileManager.default.fileExists(atPath: marker))
            #expect(sshd.log.components(separatedBy: "Accepted publickey").count == 2)  // only the first login
            // After the admin accepts the new key (new pins), the same server works again.
            let accepted = try sshd.target(.privateKey(ClientKeys.key("ed25519")))
            #expect(try await transport.run(RemoteCommand("echo ok"), on: accepted).stdoutText == "ok\n")
            await transport.shutdown()
        }
    }

    @Test func commandTimeoutCancellationAndOutputCap() async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = NIOSSHTransport()
            let target = try sshd.target(.privateKey(ClientKeys.key("ed25519")))
            let started = ContinuousClock.now
            let timeout = await SSHError.caught { _ = try await transport.run(RemoteCommand("sleep 30"), on: target, timeout: .seconds(1), maxOutput: 1000) }
            #expect(timeout == .commandTimeout)
            #expect(ContinuousClock.now - started < .seconds(12))  // a hang would take 30 s; the bound allows a loaded 2-core machine
            let big = await SSHError.caught { _ = try await transport.run(RemoteCommand("head -c 200000 /dev/zero"), on: target, timeout: .seconds(10), maxOutput: 1000) }
            #expect(big == .outputTooLarge(limit: 1000))
            let task = Task { try await transport.run(RemoteCommand("sleep 30"), on: target) }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            #expect(await SSHError.caught { _ = try await task.value } == .cancelled)
            // The connection survived all three.
            #expect(try await transport.run(RemoteCommand("echo alive"), on: target).stdoutText == "alive\n")
            #expect(await transport.openConnections == 1)
            await transport.shutdown()
        }
    }

    @Test func hostileValuesArriveAsLiteralText() async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = NIOSSHTransport()
            let target = try sshd.target(.privateKey(ClientKeys.key("ed25519")))
            for value in HostileValues.all {
                let command = try RemoteCommand(template: "printf '%s' {value}", ["value": value])
                #expect(try await transport.run(command, on: target).stdoutText == value)
            }
            #expect(!FileManager.default.fileExists(atPath: "/tmp/unity-pwned"))
            await transport.shutdown()
        }
    }
}
