import Foundation
import Testing
@testable import UnityContainers
import UnityContainersTestSupport
import UnityParsers

/// Logs, stats, top and events against the suite's real Docker 20.10 and Podman 4.3.
@Suite("Real engines: live state")
struct RealEngineLiveTests {
    private func engine(_ kind: ContainerEngineKind) throws -> (TestEngine, DockerAPIEngine) {
        let test = kind == .docker ? try TestEngine.docker() : try TestEngine.podman()
        return (test, DockerAPIEngine(transport: test.transport))
    }

    private static func uniqueName(_ prefix: String) -> String { "unity-\(prefix)-\(UUID().uuidString.prefix(6).lowercased())" }

    private func collect(_ stream: AsyncThrowingStream<ContainerLogLine, any Error>) async throws -> [ContainerLogLine] {
        var lines: [ContainerLogLine] = []
        for try await line in stream { lines.append(line) }
        return lines
    }

    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func logsAreDemultiplexedAndColoursStripped(kind: ContainerEngineKind) async throws {
        let (test, engine) = try engine(kind)
        let name = Self.uniqueName("logs")
        defer { _ = try? test.cli(["rm", "-f", name]) }
        try test.cli(["run", "-d", "--name", name, "--network", "host", TestEngine.image, "sh", "-c",
                      #"echo out1; echo err1 >&2; printf '\033[31mred\033[0m\n'; sleep 300"#])
        var lines: [ContainerLogLine] = []
        for _ in 0..<40 {
            lines = try await collect(engine.logs(name, tail: nil, since: nil, follow: false, timestamps: false))
            if lines.count >= 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(lines.contains(ContainerLogLine(stream: .stdout, text: "out1")))
        #expect(lines.contains(ContainerLogLine(stream: .stderr, text: "err1")))
        let colored = try #require(lines.first { $0.text.contains("red") })
        #expect(colored.text == "\u{1B}[31mred\u{1B}[0m" && colored.stream == .stdout)
        #expect(ANSIEscapeStripper.strip(colored.text) == "red")
        let stamped = try await collect(engine.logs(name, tail: nil, since: nil, follow: false, timestamps: true))
        #expect(stamped.count == lines.count && stamped.allSatisfy { $0.timestamp != nil })
        #expect(stamped.map(\.text).contains("out1"))
        let tail = try await collect(engine.logs(name, tail: 1, since: nil, follow: false, timestamps: false))
        #expect(tail.count < lines.count && tail.count >= 1)
        await #expect(throws: ContainerEngineError.notFound(what: "container unity-no-such")) {
            _ = try await engine.logs("unity-no-such", tail: nil, since: nil, follow: false, timestamps: false)
        }
    }

    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func ttyContainerLogsAreRawStdout(kind: ContainerEngineKind) async throws {
        let (test, engine) = try engine(kind)
        let name = Self.uniqueName("tty")
        defer { _ = try? test.cli(["rm", "-f", name]) }
        try test.cli(["run", "-d", "-t", "--name", name, "--network", "host", TestEngine.image, "sh", "-c", "echo tty-line; sleep 300"])
        var lines: [ContainerLogLine] = []
        for _ in 0..<40 {
            lines = try await collect(engine.logs(name, tail: nil, since: nil, follow: false, timestamps: false))
            if !lines.isEmpty { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(lines.first == ContainerLogLine(stream: .stdout, text: "tty-line"))  // the TTY's \r\n is cut too
    }

    /// Cancelling a follow closes its connection: the engine's next request works and no file
    /// descriptor is left behind after many cancelled follows.
    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func cancelledFollowReleasesItsConnection(kind: ContainerEngineKind) async throws {
        let (test, _) = try engine(kind)
        let counting = CountingTransport(base: test.transport)
        let engine = DockerAPIEngine(transport: counting)
        let name = Self.uniqueName("follow")
        defer { _ = try? test.cli(["rm", "-f", name]) }
        try test.cli(["run", "-d", "--name", name, "--network", "host", TestEngine.image, "sh", "-c", "while true; do echo tick; sleep 0.1; done"])
        _ = try await engine.facts()
        let descriptorsBefore = OpenDescriptors.count()
        for _ in 0..<20 {
            let received = CountingTransport.LockedCounts()
            let follow = try await engine.logs(name, tail: 0, since: nil, follow: true, timestamps: false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // The stream ends without an error once its task is cancelled.
                    for try await _ in follow { received.change { $0.opened += 1 } }
                }
                for _ in 0..<100 where received.read().opened == 0 { try await Task.sleep(for: .milliseconds(20)) }
                group.cancelAll()
                try await group.waitForAll()
            }
            #expect(received.read().opened >= 1)
        }
        for _ in 0..<50 where counting.liveStreams > counting.idleAllowance { try await Task.sleep(for: .milliseconds(20)) }
        #expect(counting.liveStreams <= counting.idleAllowance)  // only the pool's idle connection stays
        let top = try await engine.top(name, psArguments: .engineDefault)
        #expect(!top.processes.isEmpty)
        // 20 leaked follows would be 20+ descriptors; other suites running in parallel add a few.
        #expect(OpenDescriptors.count() - descriptorsBefore < 10)
    }

    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func statsOneShotAndStreaming(kind: ContainerEngineKind) async throws {
        let (test, _) = try engine(kind)
        let counting = CountingTransport(base: test.transport)
        let engine = DockerAPIEngine(transport: counting)
        let name = Self.uniqueName("stats")
        defer { _ = try? test.cli(["rm", "-f", name]) }
        try test.cli(["run", "-d", "--name", name, "--network", "host", TestEngine.image, "sleep", "300"])
        let sample = try await engine.stats(name, quick: false)
        #expect(sample.cpuPercent != nil)
        #expect((sample.memoryUsedBytes ?? 0) > 0 && (sample.memoryLimitBytes ?? 0) > 0)
        #expect((sample.pids ?? 0) >= 1)
        let quick = try await engine.stats(name, quick: true)
        #expect(quick.memoryUsedBytes != nil)
        if kind == .docker { #expect(quick.cpuPercent == nil) }
        var streamed: ContainerStatsSample?
        for try await next in try await engine.statsStream(name) {
            streamed = next
            break  // leaving the loop drops the stream and its connection
        }
        #expect(streamed?.memoryLimitBytes != nil, "\(String(describing: streamed))")
        for _ in 0..<50 where counting.liveStreams > counting.idleAllowance { try await Task.sleep(for: .milliseconds(20)) }
        #expect(counting.liveStreams <= counting.idleAllowance)  // the dropped stream's connection is gone
    }

    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func topWithEveryAllowedArgument(kind: ContainerEngineKind) async throws {
        let (test, engine) = try engine(kind)
        let name = Self.uniqueName("top")
        defer { _ = try? test.cli(["rm", "-f", name]) }
        try test.cli(["run", "-d", "--name", name, "--network", "host", TestEngine.image, "sleep", "300"])
        for arguments in ContainerTopArguments.allCases {
            let list = try await engine.top(name, psArguments: arguments)
            #expect(list.titles.contains("PID"), "\(arguments)")
            #expect(list.processes.contains { $0.last?.contains("sleep 300") == true }, "\(arguments)")
            #expect(list.processes.allSatisfy { $0.count == list.titles.count }, "\(arguments)")
        }
    }

    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func eventsOfAContainerThatStartsAndDies(kind: ContainerEngineKind) async throws {
        let (test, engine) = try engine(kind)
        let name = Self.uniqueName("events")
        defer { _ = try? test.cli(["rm", "-f", name]) }
        let since = Date().addingTimeInterval(-1)
        let events = try await engine.events(since: since, filters: EngineEventFilters(types: ["container"], containers: [name]))
        _ = try? test.cli(["run", "--name", name, "--network", "host", TestEngine.image, "sh", "-c", "exit 4"])
        let seen = try await withThrowingTaskGroup(of: [EngineEvent].self) { group in
            group.addTask {
                var seen: [EngineEvent] = []
                for try await event in events {
                    seen.append(event)
                    if event.action == "die" { break }
                }
                return seen
            }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                return []
            }
            let first = try await group.next() ?? []
            group.cancelAll()
            return first
        }
        #expect(seen.contains { $0.action == "start" && $0.name == name })
        let died = try #require(seen.first { $0.action == "die" })
        #expect(died.exitCode == 4 && died.image == TestEngine.image && died.type == "container")
    }

    /// Requests share kept connections (over SSH each new dial-stdio channel is a process and a
    /// round trip): a discovery opens at most the pipelined inspects' width, the next one none.
    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func requestsReuseKeptConnections(kind: ContainerEngineKind) async throws {
        let (test, _) = try engine(kind)
        // Two containers, so the inspects really go out on both pipelined connections.
        let created = try (0..<2).map { _ in try test.cli(["create", TestEngine.image, "true"]).trimmingCharacters(in: .whitespacesAndNewlines) }
        defer { _ = try? test.cli(["rm", "-f"] + created) }
        let counting = CountingTransport(base: test.transport)
        let engine = DockerAPIEngine(transport: counting)
        _ = try await engine.facts()
        _ = try await engine.containers()
        _ = try await engine.images()
        let afterFirst = counting.opened
        #expect(afterFirst >= 1 && afterFirst <= DockerAPIEngine.inspectWidth)
        _ = try await engine.facts()
        _ = try await engine.containers()
        _ = try await engine.images()
        #expect(counting.opened == afterFirst, "a second discovery opened \(counting.opened - afterFirst) more")
    }
}

/// Counts the streams a transport opened and the ones still open.
final class CountingTransport: ContainerTransport, @unchecked Sendable {
    let base: any ContainerTransport
    private let counts = LockedCounts()
    /// The engine keeps up to this many idle connections for reuse.
    let idleAllowance = 2

    init(base: any ContainerTransport) { self.base = base }

    var opened: Int { counts.read().opened }
    var liveStreams: Int { counts.read().live }
    var endpointDescription: String { base.endpointDescription }

    func openStream() async throws -> any ContainerByteStream {
        let stream = try await base.openStream()
        counts.change { $0.opened += 1; $0.live += 1 }
        return CountedStream(base: stream, counts: counts)
    }

    final class LockedCounts: @unchecked Sendable {
        struct Counts { var opened = 0; var live = 0 }
        private let lock = NSLock()
        private var counts = Counts()
        func read() -> Counts { lock.withLock { counts } }
        func change(_ body: (inout Counts) -> Void) { lock.withLock { body(&counts) } }
    }

    final class CountedStream: ContainerByteStream, @unchecked Sendable {
        let base: any ContainerByteStream
        let counts: LockedCounts
        private let closed = NSLock()
        private var isClosed = false
        init(base: any ContainerByteStream, counts: LockedCounts) { self.base = base; self.counts = counts }
        func write(_ bytes: [UInt8]) async throws { try await base.write(bytes) }
        func closeWrite() async throws { try await base.closeWrite() }
        func read() async throws -> [UInt8]? { try await base.read() }
        func close() async {
            let first = closed.withLock { () -> Bool in defer { isClosed = true }; return !isClosed }
            if first { counts.change { $0.live -= 1 } }
            await base.close()
        }
        deinit {
            if !isClosed { counts.change { $0.live -= 1 } }
        }
    }
}

enum OpenDescriptors {
    static func count() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }
}
