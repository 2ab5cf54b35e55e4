import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

struct ProcessRunnerTests {
    @Test func timeoutKillsTheChild() async throws {
        let started = ContinuousClock.now
        let error = await SSHError.caught { _ = try await ProcessRunner.run("/bin/sleep", ["30"], timeout: .seconds(1), maxOutput: 100) }
        #expect(error == .commandTimeout)
        // A child that is not killed runs its full 30 s; 25 s leaves room for a heavily loaded 2-core CI.
        #expect(ContinuousClock.now - started < .seconds(25))
    }

    @Test func outputCapAndExitStatus() async throws {
        let out = try await ProcessRunner.run("/bin/sh", ["-c", "echo hi; echo err >&2; exit 7"], timeout: .seconds(5), maxOutput: 100)
        #expect(out.status == 7 && out.stdout == Data("hi\n".utf8) && out.stderr == Data("err\n".utf8))
        let big = await SSHError.caught { _ = try await ProcessRunner.run("/usr/bin/head", ["-c", "100000", "/dev/zero"], timeout: .seconds(5), maxOutput: 100) }
        #expect(big == .outputTooLarge(limit: 100))
    }
}
