import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// Data handed to a remote command's standard input (scripts for `sh -s`, file contents) arrives
/// byte for byte on both transports, and after a sudo password without mixing with it.
@Suite(.enabled(if: SSHD.enabled))
struct CommandInputTests {
    static let payload = Data("line one\n\u{00e9}t\u{00e9} 'quoted' $HOME `x`\nno newline at end".utf8)

    @Test(arguments: ["ed25519", "rsa"])
    func inputReachesTheRemoteCommandUnchanged(keyName: String) async throws {
        try await withSSHD(authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let executor = try AutomaticExecutor()
            let target = try sshd.target(.privateKey(ClientKeys.key(keyName)))
            let result = try await executor.run(RemoteCommand("cat").withInput(Self.payload), on: target)
            #expect(result.exitStatus == 0)
            #expect(result.stdout == Self.payload)
            #expect(result.transport == (keyName == "rsa" ? .openssh : .nio))
            await executor.shutdown()
        }
    }

    @Test func sudoPasswordLineIsConsumedBeforeTheInput() {
        let command = RemoteCommand("cat", privileged: true).withInput(Data("body".utf8))
        let prepared = command.prepared(for: .password("pw"))
        #expect(prepared.stdin == Data("pw\nbody".utf8))
        #expect(!prepared.line.contains("body"))
        #expect(RemoteCommand("cat").withInput(Data("x".utf8)).prepared(for: .none).stdin == Data("x".utf8))
    }
}
