import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// ProxyJump through a bastion: direct-tcpip on swift-nio-ssh, `ProxyJump` on OpenSSH, pins on both hops.
@Suite(.enabled(if: SSHD.enabled))
struct JumpHostTests {
    @Test(arguments: [SSHTransportKind.nio, .openssh])
    func reachesATargetThroughABastion(transport kind: SSHTransportKind) async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { bastion in
            try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { inner in
                let executor = try AutomaticExecutor()
                let key = try ClientKeys.key("ed25519")
                var target = try inner.target(.privateKey(key), transport: kind)
                target.jump = try bastion.target(.privateKey(key))
                let result = try await executor.run(RemoteCommand("echo via-bastion"), on: target)
                #expect(result.stdoutText == "via-bastion\n")
                #expect(result.transport == kind)
                #expect(bastion.log.contains("direct-tcpip") || bastion.log.contains("Accepted publickey"))
                await executor.shutdown()
            }
        }
    }

    @Test(arguments: [SSHTransportKind.nio, .openssh])
    func aChangedKeyBehindTheBastionIsRefused(transport kind: SSHTransportKind) async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { bastion in
            try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { inner in
                let executor = try AutomaticExecutor()
                let key = try ClientKeys.key("ed25519")
                let impostor = try HostKeyPin(line: SSHPrivateKey.generateEd25519().publicKeyLine)
                var target = try inner.target(.privateKey(key), policy: .pinned([impostor]), transport: kind)
                target.jump = try bastion.target(.privateKey(key))
                let error = await SSHError.caught { _ = try await executor.run(RemoteCommand("true"), on: target) }
                guard case .hostKeyChanged(let expected, _) = error else {
                    Issue.record("expected hostKeyChanged, got \(String(describing: error))")
                    return
                }
                #expect(expected == [impostor])
                await executor.shutdown()
            }
        }
    }

    /// The bastion is verified like any server: under trust on first use its key comes back in `jumpHostKey`
    /// for the caller to pin; once pinned, a re-keyed bastion is refused as a jump-host refusal before any
    /// credential is offered to it, and nothing at all reaches the target behind it.
    @Test(arguments: [("ed25519", SSHTransportKind.nio), ("rsa", .openssh)])
    func theBastionIsPinnedOnFirstUseAndARekeyedBastionIsRefused(userKey: String, transport kind: SSHTransportKind) async throws {
        let bastion = try SSHD(authorizedKeys: ClientKeys.authorizedLines())
        defer { bastion.stop() }
        try await bastion.start()
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { inner in
            let key = try ClientKeys.key(userKey)
            var target = try inner.target(.privateKey(key), transport: kind)
            target.jump = try bastion.target(.privateKey(key), policy: .trustOnFirstUse)
            let firstExecutor = try AutomaticExecutor()
            let first = try await firstExecutor.run(RemoteCommand("echo first"), on: target)
            await firstExecutor.shutdown()
            #expect(first.stdoutText == "first\n" && first.transport == kind)
            let original = try bastion.pins()
            #expect(first.jumpHostKey == original.first, "the bastion's key is reported for pinning")

            // The bastion now presents another key at the same address: a man in the middle, as far as Unity knows.
            bastion.stop()
            try bastion.rekey()
            try await bastion.start()
            target.jump?.hostKeyPolicy = .pinned(original)
            let reachedTarget = inner.log.components(separatedBy: "Connection from").count
            let offeredToBastion = bastion.log.components(separatedBy: "Accepted publickey").count
            let executor = try AutomaticExecutor()
            let error = await SSHError.caught { _ = try await executor.run(RemoteCommand("echo second"), on: target) }
            await executor.shutdown()
            guard case .jumpHostKeyRefused(.hostKeyChanged(let expected, let presented)) = error else {
                Issue.record("expected a jump-host hostKeyChanged, got \(String(describing: error))")
                return
            }
            #expect(expected == original)
            #expect(presented == (try bastion.pins()).first)
            #expect(error?.isHostKeyProblem == true)
            #expect(inner.log.components(separatedBy: "Connection from").count == reachedTarget, "nothing reached the target")
            #expect(bastion.log.components(separatedBy: "Accepted publickey").count == offeredToBastion,
                    "no credential was accepted by the re-keyed bastion")
        }
    }
}
