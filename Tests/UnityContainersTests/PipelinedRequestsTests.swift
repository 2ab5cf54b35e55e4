import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityParsers

/// Pipelined inspects: the framing (responses split anywhere, chunked and fixed bodies, answers that
/// arrive while requests are still being written) on a scripted byte stream, then the result against
/// the real Docker and Podman of the test support.
@Suite("Pipelined engine requests")
struct PipelinedRequestsTests {
    /// A stream answering each request it is sent with the next canned response, delivered in
    /// pieces of `pieceSize` bytes: a scripted peer, because no real engine splits its writes on
    /// demand.
    final class ScriptedEngine: ContainerByteStream, @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [[UInt8]]
        private var outgoing: [UInt8] = []
        private var requestsSeen = 0
        private let pieceSize: Int
        private(set) var writes = 0
        let closeAfter: Int?

        init(answers: [String], pieceSize: Int, closeAfter: Int? = nil) {
            self.answers = answers.map { Array($0.utf8) }
            self.pieceSize = pieceSize
            self.closeAfter = closeAfter
        }

        func write(_ bytes: [UInt8]) async throws {
            lock.withLock {
                writes += 1
                let requests = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n\r\n").count - 1
                for _ in 0..<requests where !answers.isEmpty {
                    requestsSeen += 1
                    if let closeAfter, requestsSeen > closeAfter { answers.removeAll(); break }
                    outgoing += answers.removeFirst()
                }
            }
        }

        func closeWrite() async throws {}

        func read() async throws -> [UInt8]? {
            lock.withLock {
                guard !outgoing.isEmpty else { return nil }
                let piece = Array(outgoing.prefix(pieceSize))
                outgoing.removeFirst(piece.count)
                return piece
            }
        }

        func close() async {}
    }

    static func fixed(_ body: String) -> String { "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)" }
    static func chunked(_ body: String) -> String {
        let half = body.utf8.count / 2
        let first = String(body.prefix(half)), second = String(body.dropFirst(half))
        return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + String(first.utf8.count, radix: 16) + "\r\n" + first + "\r\n"
            + String(second.utf8.count, radix: 16) + "\r\n" + second + "\r\n0\r\n\r\n"
    }

    @Test(arguments: [1, 7, 64, 100_000])
    func responsesComeBackInOrderHoweverTheBytesAreSplit(pieceSize: Int) async throws {
        let bodies = (0..<40).map { #"{"Id":"c\#($0)","padding":"\#(String(repeating: "x", count: $0 * 13))"}"# }
        let answers = bodies.enumerated().map { $0 % 3 == 0 ? Self.chunked($1) : Self.fixed($1) }
        let stream = ScriptedEngine(answers: answers, pieceSize: pieceSize)
        let connection = EngineHTTPConnection(stream: stream, endpoint: "scripted")
        let requests = (0..<40).map { HTTPRequest(method: "GET", target: "/containers/c\($0)/json") }
        let responses = try #require(try await connection.pipelined(requests, depth: 8))
        #expect(responses.map { String(decoding: $0.body, as: UTF8.self) } == bodies)
        #expect(connection.isReusable)
        // 40 requests at most 8 unanswered: the first write carries 8, each answer may add one more.
        #expect(stream.writes <= 33 && stream.writes >= 5)
    }

    @Test func anEngineThatStopsAnsweringMidwayIsAClearErrorNotAHang() async throws {
        let answers = (0..<10).map { Self.fixed(#"{"n":\#($0)}"#) }
        let connection = EngineHTTPConnection(stream: ScriptedEngine(answers: answers, pieceSize: 5, closeAfter: 4), endpoint: "scripted")
        let requests = (0..<10).map { HTTPRequest(method: "GET", target: "/x/\($0)") }
        await #expect(throws: ContainerEngineError.streamInterrupted(endpoint: "scripted", reason: "connection closed after 4 of 10 pipelined responses")) {
            _ = try await connection.pipelined(requests, depth: 3)
        }
        #expect(!connection.isReusable)
    }

    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func discoveryOfManyContainersMatchesTheEngine(kind: ContainerEngineKind) async throws {
        let test = kind == .docker ? try TestEngine.docker() : try TestEngine.podman()
        let label = "unity.test.pipeline=\(UUID().uuidString.prefix(8).lowercased())"
        var names: [String] = []
        defer { for name in names { _ = try? test.cli(["rm", "-f", name]) } }
        for index in 0..<24 {
            let name = "unity-pipe-\(label.suffix(8))-\(index)"
            try test.cli(["create", "--name", name, "--label", label, "--network", "host", TestEngine.image, "sleep", "300"])
            names.append(name)
        }
        let engine = DockerAPIEngine(transport: test.transport)
        let first = try await engine.containers()
        // Other suites share the daemon and add or remove containers meanwhile: look at ours only.
        func ours(_ list: [ContainerDetails]) -> [ContainerDetails] { list.filter { $0.labels["unity.test.pipeline"] == String(label.split(separator: "=")[1]) } }
        let mine = ours(first)
        #expect(Set(mine.map(\.name)) == Set(names), "\(mine.map(\.name))")
        #expect(mine.allSatisfy { $0.state == "created" })
        // The inspect connections are kept, so the next discovery pipelines on them again.
        #expect(engine.idleConnectionCount <= 2 && engine.idleConnectionCount >= 1)
        let second = try await engine.containers()
        #expect(ours(second).map(\.id) == mine.map(\.id))
    }
}
