import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnityCredentials
@testable import UnitySSH

/// Acceptance A: rotate Unity's own key (ECDSA P-256 → Ed25519) on five real sshds, one of which
/// does not accept Ed25519 user keys (`PubkeyAcceptedAlgorithms`), plus one server that is down.
@Suite(.enabled(if: SSHD.enabled), .serialized) struct RotationAcceptanceTests {
    @Test func rotationSurvivesAServerThatRejectsTheNewKeyType() async throws {
        let old = try DistKeys.imported("rotate-old", type: "ecdsa", bits: "256")
        let new = SSHPrivateKey.generateEd25519(comment: "unity-rotated")
        let admin = SSHPrivateKey.generateEd25519(comment: "admin@desk")
        let file = """
            # managed by the admin
            no-port-forwarding,command="echo \\"hi there\\"" \(admin.publicKeyLine)

            \(old.publicKeyLine)
            """  // no final newline on purpose: must survive byte for byte where restored
        let failing = 2
        let configs = (0..<5).map { index in
            (authorizedKeys: file, extraConfig: index == failing ? ["PubkeyAcceptedAlgorithms ecdsa-sha2-nistp256"] : [String]())
        }
        try await withSSHDs(configs) { sshds in try await withExecutor { executor in
            let down = try SSHD(authorizedKeys: [])  // configured, never started: connection refused
            let servers = try sshds.enumerated().map { try $1.managed("srv\($0)", access: old) } + [try down.managed("down", access: old)]
            let before = sshds.map(\.authorizedKeysData)
            let events = KeyJobEvent.stream()
            let collected = Task { await events.events.reduce(into: [KeyJobEvent]()) { $0.append($1) } }

            let report = await KeyDistributor(executor: executor, maxConcurrentServers: 3)
                .rotate(from: PublicKey(old), to: new, on: servers, progress: events.progress)

            #expect(report.outcome == .partial)
            #expect(report.servers.map(\.serverID) == servers.map(\.id))
            for (index, sshd) in sshds.enumerated() {
                let result = try #require(report.result(for: "srv\(index)"))
                let after = AuthorizedKeys(sshd.authorizedKeysData)
                if index == failing {
                    #expect(result.outcome == .failedRestored, "\(result.stepSummary)")
                    #expect(result.step(.proveKey)?.outcome == .failed)
                    #expect(result.step(.restore)?.outcome == .succeeded)
                    #expect(sshd.authorizedKeysData == before[index], "restored byte-identical")
                    #expect(result.accessKeyFingerprint == old.fingerprint && !result.accessSwitched)
                    #expect(await sshd.canLogIn(with: old))
                    let backup = try #require(result.backupPath)
                    #expect(FileManager.default.contents(atPath: backup) == before[index])
                } else {
                    #expect(result.outcome == .succeeded, "\(result.stepSummary)")
                    #expect(result.accessKeyFingerprint == new.fingerprint && result.accessSwitched)
                    #expect(result.steps.map(\.step) == [.read, .backup, .addKey, .proveKey, .switchAccess,
                                                         .removeKey, .reproveKey, .proveRevoked, .proveAccess])
                    #expect(after.keys == [PublicKey(admin), PublicKey(new)])
                    // Everything but the old key's line is kept byte for byte; the new line is appended.
                    let expected = file.components(separatedBy: "\n").dropLast().joined(separator: "\n") + "\n" + new.publicKeyLine + "\n"
                    #expect(sshd.authorizedKeysData == Data(expected.utf8))
                    #expect(await sshd.canLogIn(with: new))
                    #expect(!(await sshd.canLogIn(with: old)))
                }
                // Whatever happened, the access the result reports logs in.
                let access = try #require(result.access)
                if case .privateKey(let key) = access.credential { #expect(await sshd.canLogIn(with: key)) }
                for step in result.steps { #expect(step.duration >= .zero) }
            }
            let downResult = try #require(report.result(for: "down"))
            #expect(downResult.outcome == .failedUnchanged && downResult.access == nil)

            let seen = await collected.value
            let finished = seen.compactMap { if case .serverFinished(let r) = $0 { r.serverID } else { nil } }
            #expect(Set(finished) == Set(servers.map(\.id)))
            #expect(seen.contains { if case .stepFinished("srv0", let record) = $0 { record.step == .switchAccess } else { false } })
            guard case .jobFinished = seen.last else { Issue.record("stream did not end with jobFinished"); return }
        } }
    }
}
