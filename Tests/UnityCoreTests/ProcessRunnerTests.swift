import Foundation
import Testing
import UnityCore

struct ProcessRunnerTests {
    @Test func timeoutKillsTheChild() async throws {
        let started = ContinuousClock.now
        let error = await Self.caught { _ = try await ProcessRunner.run("/bin/sleep", ["30"], timeout: .seconds(1), maxOutput: 100) }
        #expect(error == .timeout)
        // A child that is not killed runs its full 30 s; 25 s leaves room for a heavily loaded 2-core CI.
        #expect(ContinuousClock.now - started < .seconds(25))
    }

    @Test func outputCapAndExitStatus() async throws {
        let out = try await ProcessRunner.run("/bin/sh", ["-c", "echo hi; echo err >&2; exit 7"], timeout: .seconds(5), maxOutput: 100)
        #expect(out.status == 7 && out.stdout == Data("hi\n".utf8) && out.stderr == Data("err\n".utf8))
        let big = await Self.caught { _ = try await ProcessRunner.run("/usr/bin/head", ["-c", "100000", "/dev/zero"], timeout: .seconds(5), maxOutput: 100) }
        #expect(big == .outputTooLarge(limit: 100))
    }

    /// A child starts with nothing blocked and nothing ignored, whatever the spawning thread had:
    /// worker threads may block signals, and a blocked mask or an ignored signal survives exec,
    /// so a DNS hook's or an ssh's own children could not be stopped with SIGTERM.
    @Test func childrenStartWithCleanSignalState() throws {
        let output = FileManager.default.temporaryDirectory.appending(path: "sigstate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let file = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(file); close(null) }
        // This thread blocks SIGTERM and the process ignores SIGUSR2 while the child is spawned.
        var block = sigset_t(), previous = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &block, &previous)
        let oldHandler = signal(SIGUSR2, SIG_IGN)
        let pid = Result { try ChildProcess.spawn("/bin/grep", ["-E", "^Sig(Blk|Ign):", "/proc/self/status"], stdin: null, stdout: file, stderr: file) }
        signal(SIGUSR2, oldHandler)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        var status: Int32 = 0
        waitpid(try pid.get(), &status, 0)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let masks = text.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace) }
            .compactMap { $0.count == 2 ? UInt64($0[1], radix: 16) : nil }
        // Signals 1–31; glibc keeps its own two real-time signals (32, 33) out of sigfillset.
        #expect(masks.map { $0 & 0x7FFF_FFFF } == [0, 0], "\(text)")
    }

    @Test func theCallersVariablesReachTheChild() async throws {
        let out = try await ProcessRunner.run("/bin/sh", ["-c", "echo \"$UNITY_RUNNER_TEST:$PATH\""], environment: ["UNITY_RUNNER_TEST": "set"],
                                              timeout: .seconds(5), maxOutput: 10_000)
        #expect(String(decoding: out.stdout, as: UTF8.self) == "set:\(ChildEnvironment.path)\n")
    }

    static func caught(_ body: () async throws -> Void) async -> ProcessError? {
        do { try await body() } catch { return error as? ProcessError }
        return nil
    }
}
