import Foundation
import UnityParsers

extension DockerAPIEngine {
    public func logs(_ id: String, tail: Int?, since: Date?, follow: Bool, timestamps: Bool) async throws
        -> AsyncThrowingStream<ContainerLogLine, any Error> {
        // A TTY container's log stream is raw bytes, any other is framed: the container decides.
        let details = try await getDecoded("/containers/\(Self.pathSegment(id))/json", what: "container \(id)") {
            (data) throws(ParseError) in try ContainerDetails.decode(data)
        }
        var query = "stdout=1&stderr=1&follow=\(follow ? 1 : 0)&timestamps=\(timestamps ? 1 : 0)"
        query += "&tail=" + (tail.map { String(max(0, $0)) } ?? "all")
        if let since { query += "&since=\(max(0, Int(since.timeIntervalSince1970)))" }
        let request = HTTPRequest(method: "GET", target: try await versioned("/containers/\(Self.pathSegment(id))/logs?\(query)"))
        return try await stream(request, what: "container \(id)", decoder: LogLinesDecoder(raw: details.tty, timestamps: timestamps))
    }
}

/// Demultiplexer + line splitter.
final class LogLinesDecoder: EngineBodyDecoder, @unchecked Sendable {
    private var demultiplexer: DockerStreamDemultiplexer
    private var splitter: ContainerLogLineSplitter

    init(raw: Bool, timestamps: Bool) {
        demultiplexer = DockerStreamDemultiplexer(raw: raw)
        splitter = ContainerLogLineSplitter(timestamps: timestamps)
    }

    func feed(_ bytes: [UInt8]) throws -> [ContainerLogLine] {
        try demultiplexer.feed(bytes).flatMap { splitter.feed($0) }
    }

    func finish() throws -> [ContainerLogLine] {
        guard demultiplexer.isAtFrameBoundary else {
            throw ContainerEngineError.invalidResponse(reason: "the log stream ended inside a frame")
        }
        return splitter.finish()
    }
}
