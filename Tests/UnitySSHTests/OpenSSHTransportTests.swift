import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// The system-OpenSSH transport: RSA keys and RSA-only hosts, with the same pinning, timeouts,
/// quoting and errors as the swift-nio-ssh transport.
@Suite(.enabled(if: SSHD.enabled))
struct OpenSSHTransportTests {
    @Test func rsaOnlyHostAndRSAUserKeyGoThroughOpenSSHAutomatically() async throws {
        try await withSSHD(hostKeyTypes: ["rsa"], authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let executor = try AutomaticExecutor()
            // RSA user key: OpenSSH chosen up front.
            let rsaKey = try sshd.target(.privateKey(ClientKeys.key("rsa")))
            #expect(executor.transport(for: rsaKey) == .openssh)
            let first = try await executor.run(RemoteCommand("echo out; echo err >&2; exit 4"), on: rsaKey)
            #expect(first.stdoutText == "out\n" && first.stderrText == "err\n" && first.exitStatus == 4)
            #expect(first.transport == .openssh)
            // ed25519 user key on an RSA-only host under TOFU: NIO's key exchange fails, OpenSSH takes over
            // and reports the RSA key it verified for the caller to pin.
            let tofu = try sshd.target(.privateKey(ClientKeys.key("ed25519")), policy: .trustOnFirstUse)
            let learned = try await executor.run(RemoteCommand("echo hi"), on: tofu)
            #expect(learned.transport == .openssh)
            #expect(learned.hostKey == (try sshd.pins()).first)
            #expect(executor.transport(for: tofu) == .openssh)
            await executor.shutdown()
        }
    }

    /// A host with ed25519 and ECDSA keys where only the ECDSA key is pinned: swift-nio-ssh is shown the
    /// ed25519 key, which it cannot verify (not "changed", not trusted); the automatic executor retries over
    /// OpenSSH, which asks for the pinned algorithm and verifies it strictly.
    @Test func aPinOfAnotherAlgorithmIsVerifiedThroughOpenSSH() async throws {
        try await withSSHD(hostKeyTypes: ["ed25519", "ecdsa"], authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let executor = try AutomaticExecutor()
            let ecdsaPin = try #require(try sshd.pins().first { $0.algorithm.hasPrefix("ecdsa") })
            let target = try sshd.target(.privateKey(ClientKeys.key("ed25519")), policy: .pinned([ecdsaPin]))
            let nioOnly = await SSHError.caught {
                var forced = target
                forced.transport = .nio
                _ = try await executor.run(RemoteCommand("true"), on: forced)
            }
            guard case .hostKeyAlgorithmNotPinned = nioOnly else {
                Issue.record("expected hostKeyAlgorithmNotPinned, got \(String(describing: nioOnly))")
                return
            }
            let result = try await executor.run(RemoteCommand("echo verified"), on: target)
            #expect(result.stdoutText == "verified\n" && result.transport == .openssh)
            await executor.shutdown()
        }
    }

    @Test func changedRSAHostKeyIsRefusedAndNothingRuns() async throws {
        try await withSSHD(hostKeyTypes: ["rsa"], authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = try OpenSSHTransport()
            let target = try sshd.target(.privateKey(ClientKeys.key("rsa")))
            let oldPins = try sshd.pins()
            _ = try await transport.run(RemoteCommand("true"), on: target)
            // Stop the ControlPersist master as a restart would, then bring the host back with a new key.
            await transport.invalidate(target)
            sshd.stop()
            try sshd.rekey()
            try await sshd.start()
            let marker = "/tmp/unity-rekey-\(UUID().uuidString)"
            let error = await SSHError.caught { _ = try await transport.run(RemoteCommand(argv: ["touch", marker]), on: target) }
            #expect(error == .hostKeyChanged(expected: oldPins, presented: try sshd.pins()[0]))
            #expect(!FileManager.default.fileExists(atPath: marker))
            let unknown = await SSHError.caught { _ = try await transport.run(RemoteCommand("true"), on: sshd.target(.privateKey(ClientKeys.key("rsa")), policy: .pinned([]))) }
            #expect(unknown == .hostKeyUnknown(presented: try sshd.pins()[0]))
            await transport.shutdown()
        }
    }

    @Test func wrongKeyTimeoutOutputCapAndCancellationMatchTheNIOTransport() async throws {
        try await withSSHD(hostKeyTypes: ["rsa", "ed25519"], authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = try OpenSSHTransport()
            let target = try sshd.target(.privateKey(ClientKeys.key("rsa")))
            let stranger = try sshd.target(.privateKey(SSHPrivateKey.generateEd25519()))
            #expect(await SSHError.caught { _ = try await transport.run(RemoteCommand("true"), on: stranger) } == .authenticationFailed)
            let started = ContinuousClock.now
            var timedOut: SSHError?
            do {
                let r = try await transport.run(RemoteCommand("sleep 30"), on: target, timeout: .seconds(1), maxOutput: 1000)
                Issue.record("sleep 30 returned: \(r.exitStatus) [\(r.stderrText)] [\(r.stdoutText)] \(r.duration)")
            } catch {
                timedOut = error as? SSHError
            }
            #expect(timedOut == .commandTimeout)
            #expect(ContinuousClock.now - started < .seconds(12))  // a hang would take 30 s; the bound allows a loaded 2-core machine
            let big = await SSHError.caught { _ = try await transport.run(RemoteCommand("head -c 200000 /dev/zero"), on: target, timeout: .seconds(10), maxOutput: 1000) }
            #expect(big == .outputTooLarge(limit: 1000))
            let task = Task { try await transport.run(RemoteCommand("sleep 30"), on: target) }
            try await Task.sleep(for: .milliseconds(500))
            task.cancel()
            #expect(await SSHError.caught { _ = try await task.value } == .cancelled)
            #expect(try await transport.run(RemoteCommand("echo alive"), on: target).stdoutText == "alive\n")
            await transport.shutdown()
        }
    }

    @Test func hostileValuesArriveAsLiteralTextThroughOpenSSH() async throws {
        try await withSSHD(hostKeyTypes: ["rsa"], authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let transport = try OpenSSHTransport()
            let target = try sshd.target(.privateKey(ClientKeys.key("rsa")))
            for value in HostileValues.all {
                let command = try RemoteCommand(template: "printf '%s' {value}", ["value": value])
                #expect(try await transport.run(command, on: target).stdoutText == value)
            }
            #expect(!FileManager.default.fileExists(atPath: "/tmp/unity-pwned"))
            await transport.shutdown()
        }
    }

    @Test func unsafeNamesNeverReachTheSSHConfig() async throws {
        let transport = try OpenSSHTransport()
        let target = SSHTarget(host: "h\n  ProxyCommand touch /tmp/unity-pwned", username: "root",
                               credential: .privateKey(SSHPrivateKey.generateEd25519()), hostKeyPolicy: .trustOnFirstUse)
        let error = await SSHError.caught { _ = try await transport.run(RemoteCommand("true"), on: target) }
        #expect(error?.description.contains("not allowed") == true)
        await transport.shutdown()
    }
}
