import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnityCredentials
@testable import UnitySSH

@Suite(.enabled(if: SSHD.enabled), .serialized) struct RotationFailureTests {
    /// The worst moment: the old key is already removed and the server stops accepting new logins
    /// (its sshd listener dies) before the new key is proven again. The backup is put back over the
    /// session Unity still has open, so once sshd is back, the old key logs in again.
    @Test func restoreGoesOverTheSessionThatStillWorks() async throws {
        let old = SSHPrivateKey.generateEd25519(comment: "old")
        let new = SSHPrivateKey.generateEd25519(comment: "new")
        let file = "# keep\n" + old.publicKeyLine + "\n"
        try await withSSHDs([(file, [])]) { sshds in try await withExecutor { executor in
            let sshd = sshds[0]
            // Proofs: 1 new key, 2 new key again after the removal ← the listener dies here.
            let prover = HookedProver(atProof: 2) { sshd.stopListener() }
            let report = await KeyDistributor(executor: executor, prover: prover)
                .rotate(from: PublicKey(old), to: new, on: [try sshd.managed("one", access: old)])
            let result = try #require(report.servers.first)
            #expect(result.outcome == .failedRestored, "\(result.stepSummary)")
            #expect(result.step(.reproveKey)?.outcome == .failed)
            #expect(result.step(.restore)?.message.contains(new.fingerprint) == true)  // over the new key's open session
            #expect(sshd.authorizedKeysData == Data(file.utf8))
            #expect(result.access == nil)  // nothing could log in freshly while sshd was down
            try await sshd.start()
            #expect(await sshd.canLogIn(with: old))
            #expect(!(await sshd.canLogIn(with: new)))
        } }
    }
}
