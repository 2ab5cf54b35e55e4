import Foundation
import UnityContainers
import UnityParsers
import Vapor

/// `GET /api/v1/containers/{id}/logs`: the container's output, demultiplexed. Without `follow` a
/// JSON array of the last `tail` lines (at most `maxBufferedBytes` of text, newest kept); with
/// `follow=true` or `Accept: text/event-stream` a stream that stays open for new lines. Every read
/// is audited (target, follow, tail; never the text).
enum ContainerLogsController {
    static let maxTail = 10_000
    static let defaultTail = 1_000
    /// Bounds an unfollowed answer however long the lines are (16 KiB each at most).
    static let maxBufferedBytes = 4 << 20
    static let truncatedHeader = "Unity-Logs-Truncated"

    static let queryParameters: [QueryParameter] = [
        .init(name: "tail", kind: .integer, description: "the last N lines of stdout and stderr together, as Docker counts them: 0 to 10000 (default 1000)"),
        .init(name: "since", kind: .string, description: "only lines from this time on: RFC 3339 (2026-12-07T10:11:14.136849Z) or unix seconds"),
        .init(name: "follow", kind: .boolean, description: "keep the response open and stream new lines (NDJSON; SSE with Accept: text/event-stream)"),
        .init(name: "timestamps", kind: .boolean, description: "include each line's time (default true)"),
        .init(name: "stream", kind: .string, description: "stdout, stderr or all (default all)"),
    ]

    enum StreamFilter: String, CaseIterable { case stdout, stderr, all }

    struct Query: Sendable {
        var tail: Int
        var since: Date?
        var follow: Bool
        var timestamps: Bool
        var filter: StreamFilter

        /// The line as the caller asked for it, or nil when filtered out. Lines are always read
        /// with timestamps so `since` is exact (the engine only takes whole seconds).
        func keep(_ line: ContainerLogLine) -> ContainerLogLineDTO? {
            if filter != .all, line.stream.rawValue != filter.rawValue { return nil }
            if let since, let time = line.timestamp, time < since { return nil }
            return ContainerLogLineDTO(line, withTime: timestamps)
        }
    }

    static func parse(_ request: Request) throws -> Query {
        var query = Query(tail: defaultTail, since: nil, follow: false, timestamps: true, filter: .all)
        if let raw = request.query[String.self, at: "tail"] {
            guard let tail = Int(raw), (0...maxTail).contains(tail) else { throw APIError.validation("tail", "a number of lines, 0 to \(maxTail)") }
            query.tail = tail
        }
        if let raw = request.query[String.self, at: "since"] {
            guard let since = parseTime(raw) else {
                throw APIError.validation("since", "an RFC 3339 time (2026-12-07T10:11:14Z) or unix seconds")
            }
            query.since = since
        }
        query.follow = try boolean(request, "follow") ?? (LiveStreamFormat.wanted(by: request) != nil)
        query.timestamps = try boolean(request, "timestamps") ?? true
        if let raw = request.query[String.self, at: "stream"] {
            guard let filter = StreamFilter(rawValue: raw) else { throw APIError.validation("stream", "stdout, stderr or all") }
            query.filter = filter
        }
        return query
    }

    /// `true` or `false`, nothing else; nil when absent.
    static func boolean(_ request: Request, _ name: String) throws -> Bool? {
        guard let raw = request.query[String.self, at: name] else { return nil }
        guard let value = Bool(raw) else { throw APIError.validation(name, "expected true or false") }
        return value
    }

    /// RFC 3339 with optional fraction, or unix seconds (with optional fraction) from 0 to year 5138.
    static func parseTime(_ raw: String) -> Date? {
        if !raw.isEmpty, raw.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let seconds = Double(raw), seconds < 1e11 {
            return Date(timeIntervalSince1970: seconds)
        }
        guard raw.count <= 40, raw.contains("T") else { return nil }
        return EngineTimestamp.parse(raw)
    }

    static func logs(_ request: Request) async throws -> Response {
        let query = try parse(request)
        let live = try await ContainerLiveAccess.resolve(request)
        let details = ["follow": String(query.follow), "tail": String(query.tail), "stream": query.filter.rawValue]
        let open: () async throws -> AsyncThrowingStream<ContainerLogLine, any Error> = {
            let engine = try await ContainerLiveAccess.engine(for: live.host, request)
            return try await engine.logs(live.row.engineID, tail: query.tail, since: query.since, follow: query.follow, timestamps: true)
        }
        if query.follow || LiveStreamFormat.wanted(by: request) != nil {
            do {
                let response = try await ContainerLiveResponse.stream(request, live, format: LiveStreamFormat.wanted(by: request) ?? .ndjson,
                                                                      event: "line", open: open, transform: { query.keep($0) })
                await ContainerLiveAccess.audit(request, live, outcome: .ok, details: details)
                return response
            } catch {
                await ContainerLiveAccess.audit(request, live, outcome: UnityErrorMiddleware.map(error).status, details: details)
                throw error
            }
        }
        do {
            let (lines, truncated) = try await buffered(try await open(), query: query)
            await ContainerLiveAccess.audit(request, live, outcome: .ok, details: details)
            let response = Response(status: .ok)
            try response.content.encode(lines, using: JSONEncoder.unity)
            if truncated { response.headers.replaceOrAdd(name: truncatedHeader, value: "true") }
            return response
        } catch let error as ContainerEngineError {
            await ContainerLiveAccess.audit(request, live, outcome: error.apiError.status, details: details)
            throw error.apiError
        } catch {
            await ContainerLiveAccess.audit(request, live, outcome: UnityErrorMiddleware.map(error).status, details: details)
            throw error
        }
    }

    /// The lines of an unfollowed read, newest kept within `maxBufferedBytes`; true when older ones were dropped.
    private static func buffered(_ stream: AsyncThrowingStream<ContainerLogLine, any Error>, query: Query) async throws
        -> ([ContainerLogLineDTO], Bool) {
        var lines: [ContainerLogLineDTO] = []
        var first = 0, bytes = 0, truncated = false
        for try await line in stream {
            guard let kept = query.keep(line) else { continue }
            lines.append(kept)
            bytes += kept.text.utf8.count
            while bytes > maxBufferedBytes, first < lines.count {
                bytes -= lines[first].text.utf8.count
                first += 1
                truncated = true
            }
            // Drop what fell out of the window now and then, not on every line.
            if first > 1024 { lines.removeFirst(first); first = 0 }
        }
        return (Array(lines[first...]), truncated)
    }
}
