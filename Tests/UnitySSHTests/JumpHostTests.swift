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
}
