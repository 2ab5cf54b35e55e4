import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnityCredentials
@testable import UnitySSH

@Suite(.enabled(if: SSHD.enabled), .serialized) struct RevokeAndInstallAcceptanceTests {
    /// Acceptance B: revoking one Ed25519 key keeps every other line (keys, options, comments, blank
    /// lines) byte for byte, and the revoked key can no longer log in.
    @Test func revokeRemovesExactlyOneKey() async throws {
        let unity = SSHPrivateKey.generateEd25519(comment: "unity")
        let keys = (0..<4).map { SSHPrivateKey.generateEd25519(comment: "user\($0)@host") }
        let revoked = keys[2]
        let lines = [
            "# team keys", keys[0].publicKeyLine, #"command="echo hi there",no-pty "# + keys[1].publicKeyLine, "",
            revoked.publicKeyLine, "  # indented comment", "from=\"127.0.0.0/8\" " + keys[3].publicKeyLine, unity.publicKeyLine,
        ]
        let file = lines.joined(separator: "\n") + "\n"
        let expected = lines.enumerated().filter { $0.offset != 4 }.map(\.element).joined(separator: "\n") + "\n"
        try await withSSHDs([(file, [])]) { sshds in try await withExecutor { executor in
            let sshd = sshds[0]
            #expect(await sshd.canLogIn(with: revoked))
            let distributor = KeyDistributor(executor: executor)
            let report = await distributor.revoke(key: PublicKey(revoked), proveRefusalWith: revoked,
                                                  on: [try sshd.managed("one", access: unity)])
            let result = try #require(report.servers.first)
            #expect(report.outcome == .succeeded, "\(result.stepSummary)")
            #expect(sshd.authorizedKeysData == Data(expected.utf8))
            #expect(result.step(.proveRevoked)?.outcome == .succeeded)
            #expect(!(await sshd.canLogIn(with: revoked)))
            for key in [keys[0], keys[1], keys[3], unity] { #expect(await sshd.canLogIn(with: key)) }

            // Again: nothing to do, file untouched. And Unity's own key is never revoked.
            let again = await distributor.revoke(key: PublicKey(revoked), on: [try sshd.managed("one", access: unity)])
            #expect(again.servers.first?.outcome == .unchanged)
            let own = await distributor.revoke(key: PublicKey(unity), on: [try sshd.managed("one", access: unity)])
            #expect(own.servers.first?.outcome == .failedUnchanged)
            #expect(sshd.authorizedKeysData == Data(expected.utf8))
            #expect(await sshd.canLogIn(with: unity))
        } }
    }

    /// Acceptance C: every key type installs and then logs in (RSA through the OpenSSH transport);
    /// installing again adds nothing.
    @Test func installEveryKeyTypeIdempotently() async throws {
        let unity = SSHPrivateKey.generateEd25519(comment: "unity")
        let candidates = [SSHPrivateKey.generateEd25519(comment: "new-ed25519")]
            + (try DistKeys.allTypes.dropFirst().map { try DistKeys.imported("install-\($0.name)", type: $0.type, bits: $0.bits) })
        try await withSSHDs([("# existing\n" + unity.publicKeyLine + "\n", [])]) { sshds in try await withExecutor { executor in
            let sshd = sshds[0]
            let distributor = KeyDistributor(executor: executor)
            let server = try sshd.managed("one", access: unity)
            for key in candidates {
                #expect(!(await sshd.canLogIn(with: key)))
                let report = await distributor.install(key: key, on: [server])
                let result = try #require(report.servers.first)
                #expect(result.outcome == .succeeded, "\(key.algorithm): \(result.stepSummary)")
                #expect(await sshd.canLogIn(with: key), "\(key.algorithm)")
            }
            #expect(executor.transport(for: try sshd.target(.privateKey(candidates[4]))) == .openssh)
            let installed = sshd.authorizedKeysData
            for key in candidates {
                let report = await distributor.install(key: key, on: [server])
                #expect(report.servers.first?.outcome == .unchanged)
                #expect(report.servers.first?.step(.proveKey)?.outcome == .succeeded)
            }
            #expect(sshd.authorizedKeysData == installed)
            let parsed = AuthorizedKeys(installed)
            #expect(parsed.keys == [PublicKey(unity)] + candidates.map(PublicKey.init))
            #expect(parsed.lines.first?.raw == Data("# existing".utf8))
        } }
    }

    /// A failed proof after install puts the backup back: here the key is installed with options that
    /// sshd rejects for this client (`from=` another network), so the fresh login fails.
    @Test func installWhoseLoginFailsIsRolledBack() async throws {
        let unity = SSHPrivateKey.generateEd25519(comment: "unity")
        let key = SSHPrivateKey.generateEd25519(comment: "elsewhere-only")
        let file = unity.publicKeyLine  // no final newline
        try await withSSHDs([(file, [])]) { sshds in try await withExecutor { executor in
            let sshd = sshds[0]
            let report = await KeyDistributor(executor: executor)
                .install(key: key, options: #"from="192.0.2.1""#, on: [try sshd.managed("one", access: unity)])
            let result = try #require(report.servers.first)
            #expect(result.outcome == .failedRestored, "\(result.stepSummary)")
            #expect(sshd.authorizedKeysData == Data(file.utf8))
            #expect(result.accessKeyFingerprint == unity.fingerprint)
        } }
    }
}
