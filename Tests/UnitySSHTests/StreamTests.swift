import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// `openStream` on both transports against real sshd: swift-nio-ssh with an ed25519 key, the
/// system OpenSSH (ControlMaster) with an RSA key.
@Suite(.enabled(if: SSHD.enabled), .serialized)
struct StreamTests {
    enum Route: String, CaseIterable, CustomTestStringConvertible {
        case nio, openssh
        var testDescription: String { rawValue }
    }

    private func withStreaming(_ route: Route, _ body: (any SSHStreamingExecutor, SSHTarget, SSHD) async throws -> Void) async throws {
        try await withSSHD(hostKeyTypes: ["ed25519", "rsa"], authorizedKeys: ClientKeys.authorizedLines()) { sshd in
            let executor: any SSHStreamingExecutor = route == .nio ? NIOSSHTransport() : try OpenSSHTransport()
            let key = try ClientKeys.key(route == .nio ? "ed25519" : "rsa")
            let target = try sshd.target(.privateKey(key), transport: route == .nio ? .nio : .openssh)
            do {
                try await body(executor, target, sshd)
            } catch {
                await executor.shutdown()
                throw error
            }
            await executor.shutdown()
        }
    }

    @Test(arguments: Route.allCases)
    func catEchoesOneMebibyteBothWaysAndHalfCloseGivesEOFAndExitZero(route: Route) async throws {
        try await withStreaming(route) { executor, target, _ in
            let stream = try await executor.openStream(RemoteCommand("cat"), on: target)
            let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            async let echoed: [UInt8] = {
                var received: [UInt8] = []
                while let chunk = try await stream.read() { received += chunk }
                return received
            }()
            for start in stride(from: 0, to: payload.count, by: 50_000) {
                try await stream.write(Array(payload[start..<min(payload.count, start + 50_000)]))
            }
            try await stream.finishWriting()
            #expect(try await echoed == payload)
            #expect(try await stream.waitForExit() == SSHStreamExit(status: 0))
            await stream.close()
        }
    }

    @Test(arguments: Route.allCases)
    func exitStatusAndStderrArriveWithoutMarkers(route: Route) async throws {
        try await withStreaming(route) { executor, target, _ in
            let stream = try await executor.openStream(RemoteCommand("echo out; echo oops >&2; exit 7"), on: target)
            var out: [UInt8] = []
            while let chunk = try await stream.read() { out += chunk }
            #expect(String(decoding: out, as: UTF8.self) == "out\n")
            #expect(try await stream.waitForExit() == SSHStreamExit(status: 7))
            #expect(String(decoding: stream.stderr, as: UTF8.self) == "oops\n")
            await stream.close()
        }
    }

    @Test(arguments: Route.allCases)
    func closeStopsARemoteSleepAndCancelledReadsDoNotHang(route: Route) async throws {
        try await withStreaming(route) { executor, target, _ in
            let pidFile = "/tmp/unity-stream-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: pidFile) }
            let command = try RemoteCommand(template: "sh -c 'echo $$ > \"$1\"; exec sleep 1000' sh {file}", ["file": pidFile])
            let stream = try await executor.openStream(command, on: target)
            let pid = try await Self.waitForPID(pidFile)
            #expect(kill(pid, 0) == 0)
            // A reader cancelled mid-wait returns promptly with .cancelled.
            let reader = Task { try await stream.read() }
            try await Task.sleep(for: .milliseconds(200))
            let cancelledAt = ContinuousClock.now
            reader.cancel()
            #expect(await SSHError.caught { _ = try await reader.value } == .cancelled)
            #expect(ContinuousClock.now - cancelledAt < .seconds(2))
            await stream.close()
            #expect(try await Self.gone(pid), "the remote sleep survived close()")
            // The slot is free: a new stream on the same target works.
            let next = try await executor.openStream(RemoteCommand("echo again"), on: target)
            #expect(try await next.read() == Array("again\n".utf8))
            await next.close()
        }
    }

    @Test(arguments: Route.allCases)
    func theNinthStreamWaitsForAChannelSlot(route: Route) async throws {
        try await withStreaming(route) { executor, target, _ in
            var streams: [any SSHCommandStream] = []
            for _ in 0..<8 { streams.append(try await executor.openStream(RemoteCommand("cat"), on: target)) }
            let ninthOpened = NIOLockedCounter()
            let ninth = Task {
                let stream = try await executor.openStream(RemoteCommand("echo ninth"), on: target)
                _ = ninthOpened.next()
                return stream
            }
            try await Task.sleep(for: .seconds(1))
            #expect(ninthOpened.next() == 1, "the ninth stream opened while eight held every slot")
            await streams.removeFirst().close()
            let stream = try await ninth.value
            #expect(try await stream.read() == Array("ninth\n".utf8))
            await stream.close()
            for stream in streams { await stream.close() }
        }
    }

    @Test(arguments: Route.allCases)
    func aSlowReaderKeepsBufferedBytesBounded(route: Route) async throws {
        try await withStreaming(route) { executor, target, _ in
            let stream = try await executor.openStream(RemoteCommand("head -c 67108864 /dev/zero"), on: target)
            try await Task.sleep(for: .seconds(1))  // the producer runs ahead of a reader that is not there
            var total = 0
            var reads = 0
            while let chunk = try await stream.read() {
                total += chunk.count
                reads += 1
                if reads % 64 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            }
            #expect(total == 64 << 20)
            let peak = (stream as? NIOCommandStream)?.inbox.peakBuffered ?? (stream as? OpenSSHCommandStream)?.inbox.peakBuffered ?? -1
            // Bounded by the high-water mark plus one SSH window (swift-nio-ssh: 64 packets, 8 MiB), not by the 64 MiB produced.
            #expect(peak >= 0 && peak < 10 << 20, "buffered \(peak) bytes")
            #expect(try await stream.waitForExit() == SSHStreamExit(status: 0))
            await stream.close()
        }
    }

    @Test(arguments: Route.allCases)
    func trustOnFirstUseIsRefusedForStreams(route: Route) async throws {
        try await withStreaming(route) { executor, target, _ in
            var tofu = target
            tofu.hostKeyPolicy = .trustOnFirstUse
            #expect(await SSHError.caught { _ = try await executor.openStream(RemoteCommand("true"), on: tofu) } == .hostKeyNotPinned)
        }
    }

    static func waitForPID(_ path: String) async throws -> pid_t {
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw Shell.Failure(description: "the remote command never wrote its pid")
    }

    /// True once `pid` is gone (or a zombie) within 8 s.
    static func gone(_ pid: pid_t) async throws -> Bool {
        for _ in 0..<160 {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if stat.isEmpty || stat.contains(") Z ") { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
