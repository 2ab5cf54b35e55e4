import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnityCredentials
@testable import UnitySSH

/// The remote scripts against a real sshd: create, compare-and-swap, modes, backup/restore, odd paths.
@Suite(.enabled(if: SSHD.enabled), .serialized) struct RemoteKeyFileTests {
    @Test func createsDirectoryAndFileWithPrivateModesAndRefusesStaleWrites() async throws {
        let unity = SSHPrivateKey.generateEd25519()
        try await withSSHDs([(unity.publicKeyLine + "\n", [])]) { sshds in try await withExecutor { executor in
            let sshd = sshds[0]
            let target = try sshd.target(.privateKey(unity))
            // A path with a space, quotes and shell syntax: it must be taken literally.
            let directory = sshd.directory + "/new dir 'q' $(touch x);"
            let file = RemoteKeyFile(executor: executor, location: AuthorizedKeysLocation(directory + "/keys"))

            let empty = try await file.read(over: target)
            #expect(empty == .init(contents: nil, checksum: RemoteKeyFile.absent))
            let first = try await file.write(Data("one\n".utf8), expecting: empty.checksum, over: target)
            #expect(FileManager.default.contents(atPath: directory + "/keys") == Data("one\n".utf8))
            #expect(try Self.mode(directory) == 0o700 && Self.mode(directory + "/keys") == 0o600)
            #expect(!FileManager.default.fileExists(atPath: sshd.directory + "/x"))

            // Stale checksum (someone edited after our read): refused, their edit kept.
            await #expect(throws: KeyFileError.changedSinceRead) {
                try await file.write(Data("two\n".utf8), expecting: empty.checksum, over: target)
            }
            let read = try await file.read(over: target)
            #expect(read == .init(contents: Data("one\n".utf8), checksum: first))

            // An existing file keeps its mode (a root-owned 0644 file must stay readable by the user).
            chmod(directory + "/keys", 0o644)
            let backup = try await file.backup(stamp: "test", over: target)
            #expect(backup == directory + "/keys.unity-backup-test")
            #expect(try Self.mode(backup) == 0o644)
            let second = try await file.write(Data([0, 1, 2, 0xFF]), expecting: first, over: target)
            #expect(FileManager.default.contents(atPath: directory + "/keys") == Data([0, 1, 2, 0xFF]))
            #expect(try Self.mode(directory + "/keys") == 0o644)
            #expect(try await file.read(over: target).contents == Data([0, 1, 2, 0xFF]))

            // Restore only over what Unity wrote.
            await #expect(throws: KeyFileError.changedSinceRead) {
                try await file.restore(backup: backup, expecting: first, over: target)
            }
            _ = try await file.restore(backup: backup, expecting: second, over: target)
            #expect(FileManager.default.contents(atPath: directory + "/keys") == Data("one\n".utf8))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("tmp") }
            #expect(leftovers.isEmpty)
        } }
    }

    /// A relative location is resolved against the login user's $HOME on the server.
    @Test func relativeLocationIsUnderRemoteHome() async throws {
        let unity = SSHPrivateKey.generateEd25519()
        try await withSSHDs([(unity.publicKeyLine + "\n", [])]) { sshds in try await withExecutor { executor in
            let target = try sshds[0].target(.privateKey(unity))
            let home = try await executor.run(RemoteCommand("printf %s \"$HOME\""), on: target).stdoutText
            #expect(home.hasPrefix("/"))
            let relative = ".cache/unity-credentials-test-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: "\(home)/\(relative)") }
            let file = RemoteKeyFile(executor: executor, location: AuthorizedKeysLocation(relative + "/authorized_keys"))
            _ = try await file.write(Data("x\n".utf8), expecting: RemoteKeyFile.absent, over: target)
            #expect(FileManager.default.contents(atPath: "\(home)/\(relative)/authorized_keys") == Data("x\n".utf8))
        } }
    }

    /// An admin edits the file between Unity's add and remove: the remove is refused (the edit is
    /// not lost), the restore is refused too (it would drop the edit), and Unity keeps working access.
    @Test func concurrentEditIsNeverOverwritten() async throws {
        let old = SSHPrivateKey.generateEd25519(comment: "old")
        let new = SSHPrivateKey.generateEd25519(comment: "new")
        let adminLine = SSHPrivateKey.generateEd25519(comment: "added-by-admin").publicKeyLine
        try await withSSHDs([(old.publicKeyLine + "\n", [])]) { sshds in try await withExecutor { executor in
            let sshd = sshds[0]
            let prover = HookedProver(atProof: 1) { try? (sshd.authorizedKeysData + Data((adminLine + "\n").utf8)).write(to: URL(fileURLWithPath: sshd.authorizedKeysPath)) }
            let report = await KeyDistributor(executor: executor, prover: prover)
                .rotate(from: PublicKey(old), to: new, on: [try sshd.managed("one", access: old)])
            let result = try #require(report.servers.first)
            #expect(result.outcome == .failedNeedsAttention, "\(result.stepSummary)")
            #expect(result.step(.removeKey)?.message.contains("concurrent edit") == true)
            #expect(AuthorizedKeys(sshd.authorizedKeysData).keys == [PublicKey(old), PublicKey(new), try PublicKey(line: adminLine)])
            let access = try #require(result.access)
            if case .privateKey(let key) = access.credential { #expect(await sshd.canLogIn(with: key)) }
        } }
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? -1) & 0o777
    }
}
