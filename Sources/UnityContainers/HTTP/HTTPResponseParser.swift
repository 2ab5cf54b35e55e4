/// Incremental HTTP/1.1 response parser: bytes in (any split), events out. Pure and bounded: the head
/// (status line, headers, chunk-size lines, trailers) may not exceed `maxHeadBytes`, and nothing
/// traps on hostile input. Body bytes are passed on as they arrive, so a follow-logs stream of hours
/// never accumulates here; buffering whole bodies (with their own limit) is the client's choice.
///
/// One parser serves one connection: after `.end`, call `expectResponse(to:)` for the next request;
/// bytes that arrived past the previous response are kept and parsed then.
public struct HTTPResponseParser: Sendable {
    public enum Event: Sendable, Equatable {
        case head(HTTPResponseHead)
        case body([UInt8])
        case end
    }

    public static let defaultMaxHeadBytes = 64 * 1024

    private enum State: Sendable, Equatable {
        case idle
        case head(scanned: Int)
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case done
    }

    public let maxHeadBytes: Int
    private var state: State = .idle
    private var buffer: [UInt8] = []
    private var method = "GET"

    public init(maxHeadBytes: Int = HTTPResponseParser.defaultMaxHeadBytes) {
        self.maxHeadBytes = maxHeadBytes
    }

    /// True between a complete response and the next `expectResponse` with no stray bytes waiting:
    /// only then may the connection be reused.
    public var isAtMessageBoundary: Bool { (state == .done || state == .idle) && buffer.isEmpty }

    /// Whether the body runs until the connection closes (no length, not chunked).
    public var readsUntilClose: Bool { state == .untilClose }

    /// Starts reading the response to a request sent with `method` (HEAD responses have no body).
    public mutating func expectResponse(to method: String) {
        self.method = method
        state = .head(scanned: 0)
    }

    /// Consumes `bytes` and returns what they completed.
    public mutating func feed(_ bytes: [UInt8]) throws(HTTPParseError) -> [Event] {
        if state == .idle || state == .done {
            // Bytes without a request in flight: kept for the next response, but bounded.
            buffer += bytes
            if buffer.count > maxHeadBytes { throw HTTPParseError("unexpected data between responses") }
            return []
        }
        buffer += bytes
        var events: [Event] = []
        var offset = 0
        defer { buffer.removeFirst(min(offset, buffer.count)) }
        parsing: while offset < buffer.count {
            switch state {
            case .idle, .done:
                break parsing
            case .head(let scanned):
                guard let (head, length) = try parseHead(from: offset, scanned: scanned) else { break parsing }
                offset += length
                if (100..<200).contains(head.status) && head.status != 101 {
                    state = .head(scanned: 0)  // 100 Continue and friends: the real response follows
                    continue
                }
                events.append(.head(head))
                state = try bodyState(for: head)
                if state == .done { events.append(.end) }
            case .fixed(let remaining):
                let take = min(remaining, buffer.count - offset)
                events.append(.body(Array(buffer[offset..<offset + take])))
                offset += take
                state = remaining == take ? .done : .fixed(remaining: remaining - take)
                if state == .done { events.append(.end) }
            case .chunkSize:
                guard let (line, length) = try line(from: offset, limit: 1024, what: "chunk size line") else { break parsing }
                offset += length
                let size = try chunkSize(line)
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let take = min(remaining, buffer.count - offset)
                events.append(.body(Array(buffer[offset..<offset + take])))
                offset += take
                state = remaining == take ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .chunkDataEnd:
                guard let (line, length) = try line(from: offset, limit: 2, what: "chunk end") else { break parsing }
                guard line.isEmpty else { throw HTTPParseError("chunk data longer than its declared size") }
                offset += length
                state = .chunkSize
            case .trailers:
                guard let (line, length) = try line(from: offset, limit: maxHeadBytes, what: "trailer") else { break parsing }
                offset += length
                if line.isEmpty {
                    state = .done
                    events.append(.end)
                }
            case .untilClose:
                events.append(.body(Array(buffer[offset...])))
                offset = buffer.count
            }
        }
        return coalesced(events)
    }

    /// The connection reached EOF. A body delimited by close ends here; anything else mid-message
    /// means the engine (or the transport) died before the response was complete.
    public mutating func finish() throws(HTTPParseError) -> [Event] {
        switch state {
        case .untilClose:
            state = .done
            return [.end]
        case .idle, .done:
            return []
        case .head(let scanned) where scanned == 0 && buffer.isEmpty:
            throw HTTPParseError("connection closed before a response arrived")
        default:
            throw HTTPParseError("connection closed in the middle of a response")
        }
    }

    private func coalesced(_ events: [Event]) -> [Event] {
        var result: [Event] = []
        for event in events {
            if case .body(let more) = event {
                if more.isEmpty { continue }
                if case .body(let previous)? = result.last {
                    result[result.count - 1] = .body(previous + more)
                    continue
                }
            }
            result.append(event)
        }
        return result
    }

    // MARK: head

    private mutating func parseHead(from offset: Int, scanned: Int) throws(HTTPParseError) -> (HTTPResponseHead, Int)? {
        var lines: [[UInt8]] = []
        var cursor = offset
        while true {
            guard let newline = buffer[cursor...].firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.count - offset > maxHeadBytes { throw HTTPParseError("response head exceeds \(maxHeadBytes) bytes") }
                state = .head(scanned: buffer.count - offset)
                return nil
            }
            var line = Array(buffer[cursor..<newline])
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            cursor = newline + 1
            if cursor - offset > maxHeadBytes { throw HTTPParseError("response head exceeds \(maxHeadBytes) bytes") }
            if line.isEmpty {
                if lines.isEmpty { continue }  // tolerate a stray CRLF before the status line
                break
            }
            lines.append(line)
        }
        return (try Self.head(from: lines), cursor - offset)
    }

    static func head(from lines: [[UInt8]]) throws(HTTPParseError) -> HTTPResponseHead {
        let statusLine = String(decoding: lines[0], as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0" else {
            throw HTTPParseError("not an HTTP/1.x status line: \(statusLine.prefix(80))")
        }
        guard parts[1].count == 3, let status = Int(parts[1]), (100...599).contains(status) else {
            throw HTTPParseError("invalid status code: \(parts[1].prefix(10))")
        }
        var headers = HTTPHeaderFields()
        for raw in lines.dropFirst() {
            if raw.first == UInt8(ascii: " ") || raw.first == UInt8(ascii: "\t") {
                throw HTTPParseError("folded header lines are not allowed")
            }
            guard let colon = raw.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
                throw HTTPParseError("header line without a name")
            }
            let name = String(decoding: raw[..<colon], as: UTF8.self)
            guard !name.contains(" "), !name.contains("\t") else { throw HTTPParseError("invalid header name") }
            headers.add(name, String(decoding: raw[(colon + 1)...], as: UTF8.self).trimmingSpaces())
        }
        return HTTPResponseHead(status: status, reason: parts.count > 2 ? String(parts[2]) : "",
                                minorVersion: parts[0] == "HTTP/1.1" ? 1 : 0, headers: headers)
    }

    private func bodyState(for head: HTTPResponseHead) throws(HTTPParseError) -> State {
        if method == "HEAD" || head.status == 204 || head.status == 304 { return .done }
        let codings = head.headers.values("Transfer-Encoding").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces().lowercased() }
        if !codings.isEmpty {
            // Chunked must be the final coding; anything else is read until close (RFC 9112 §6.3).
            return codings.last == "chunked" ? .chunkSize : .untilClose
        }
        let lengths = Set(head.headers.values("Content-Length").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces() })
        if lengths.count > 1 { throw HTTPParseError("conflicting Content-Length values") }
        if let text = lengths.first {
            guard text.count <= 18, text.allSatisfy(\.isASCIIDigit), let length = Int(text) else {
                throw HTTPParseError("invalid Content-Length: \(text.prefix(20))")
            }
            return length == 0 ? .done : .fixed(remaining: length)
        }
        return .untilClose
    }

    // MARK: chunked framing

    /// One CRLF- (or LF-) terminated line starting at `offset`, without its terminator, and the number
    /// of bytes it took; nil when the line is not complete yet.
    private func line(from offset: Int, limit: Int, what: String) throws(HTTPParseError) -> ([UInt8], Int)? {
        guard let newline = buffer[offset...].firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.count - offset > limit + 2 { throw HTTPParseError("\(what) too long") }
            return nil
        }
        var line = Array(buffer[offset..<newline])
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.count > limit { throw HTTPParseError("\(what) too long") }
        return (line, newline + 1 - offset)
    }

    private func chunkSize(_ line: [UInt8]) throws(HTTPParseError) -> Int {
        let sizeText = line.prefix { $0 != UInt8(ascii: ";") }
        let digits = String(decoding: sizeText, as: UTF8.self).trimmingSpaces()
        // 15 hex digits stay below Int.max: no overflow from a hostile size.
        guard !digits.isEmpty, digits.count <= 15, let size = Int(digits, radix: 16), size >= 0 else {
            throw HTTPParseError("invalid chunk size: \(digits.prefix(20))")
        }
        return size
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
