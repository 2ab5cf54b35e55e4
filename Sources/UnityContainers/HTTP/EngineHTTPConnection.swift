/// HTTP/1.1 over one `ContainerByteStream`: several requests in sequence on the same stream (the
/// dial-stdio channel is expensive to open over SSH), or one streaming response that owns the
/// stream until it ends. Not for concurrent use: the engine client hands a connection to one caller
/// at a time.
public final class EngineHTTPConnection: @unchecked Sendable {
    public static let defaultMaxBodyBytes = 64 << 20

    private let stream: any ContainerByteStream
    private let endpoint: String
    // Touched by one caller at a time (the client's pool guarantees it); hence @unchecked.
    private var parser = HTTPResponseParser()
    private var reusable = true
    private var requestsSent = 0

    public init(stream: any ContainerByteStream, endpoint: String) {
        self.stream = stream
        self.endpoint = endpoint
    }

    /// Whether another request may be sent (the last response was complete and kept the connection).
    public var isReusable: Bool { reusable && parser.isAtMessageBoundary }

    public func close() async {
        reusable = false
        await stream.close()
    }

    /// Sends `request` and reads the whole response, refusing bodies above `maxBodyBytes`.
    public func send(_ request: HTTPRequest, maxBodyBytes: Int = EngineHTTPConnection.defaultMaxBodyBytes) async throws -> HTTPResponse {
        guard let head = try await start(request) else {
            throw ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: "connection closed before a response arrived")
        }
        var body: [UInt8] = []
        while let chunk = try await nextBodyChunk() {
            body += chunk
            if body.count > maxBodyBytes {
                await close()
                throw ContainerEngineError.responseTooLarge(limit: maxBodyBytes)
            }
        }
        if !head.keepAlive { reusable = false }
        return HTTPResponse(head: head, body: body)
    }

    /// Sends `request` and returns once the head arrived; the body is then read with `nextBodyChunk()`.
    /// Returns nil when the stream ended cleanly before any byte of a response, or a reused
    /// connection could not even be written to (an idle connection the engine closed, or a daemon
    /// that died meanwhile), so the caller can retry on a fresh one.
    public func start(_ request: HTTPRequest) async throws -> HTTPResponseHead? {
        guard isReusable else {
            throw ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: "connection is not reusable")
        }
        parser.expectResponse(to: request.method)
        pendingEvents = []
        let wasIdle = requestsSent > 0
        requestsSent += 1
        do {
            try await stream.write(request.serialized())
        } catch {
            reusable = false
            // A kept connection that died while idle (daemon restarted or killed): like one the
            // engine closed, nothing reached it, so the caller retries on a fresh connection,
            // whose own failure then says what is wrong.
            if wasIdle && !(error is CancellationError) { return nil }
            throw mapTransportError(error)
        }
        var sawBytes = false
        while true {
            if let index = pendingEvents.firstIndex(where: { if case .head = $0 { true } else { false } }) {
                guard case .head(let head) = pendingEvents[index] else { continue }
                pendingEvents.removeFirst(index + 1)
                return head
            }
            guard let bytes = try await readTransport() else {
                reusable = false
                if !sawBytes { return nil }
                throw ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: "connection closed in the response head")
            }
            sawBytes = true
            pendingEvents += try await parse(bytes)
        }
    }

    /// The next piece of the body, nil at its end. Throws `streamInterrupted` when the connection
    /// ends before the body is complete (a killed daemon), never hangs on a closed stream.
    public func nextBodyChunk() async throws -> [UInt8]? {
        while true {
            if let event = pendingEvents.first {
                pendingEvents.removeFirst()
                switch event {
                case .body(let bytes): return bytes
                case .end: return nil
                case .head: throw ContainerEngineError.invalidResponse(reason: "a second response head inside a body")
                }
            }
            guard let bytes = try await readTransport() else {
                reusable = false
                do {
                    pendingEvents += try parser.finish()
                } catch {
                    throw ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: error.reason)
                }
                if pendingEvents.isEmpty { return nil }
                continue
            }
            pendingEvents += try await parse(bytes)
        }
    }

    /// HTTP/1.1 pipelining for GETs: writes the requests back to back, at most `depth` unanswered at
    /// once, and reads the responses in order. Over SSH every request otherwise waits a full round
    /// trip through the channel and `dial-stdio`; a discovery inspecting 100 containers pays it once
    /// per `depth` instead of once per container. Engines (Go's net/http: Docker, Podman) answer
    /// pipelined requests in order. Returns nil, like `start`, when a reused connection turns out
    /// to be dead before any byte of an answer, so the caller can retry on a fresh one.
    public func pipelined(_ requests: [HTTPRequest], depth: Int = 16, maxBodyBytes: Int = EngineHTTPConnection.defaultMaxBodyBytes) async throws -> [HTTPResponse]? {
        guard isReusable else {
            throw ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: "connection is not reusable")
        }
        guard !requests.isEmpty else { return [] }
        precondition(requests.allSatisfy { $0.method == "GET" }, "only GETs are pipelined: a HEAD changes how the next response is framed")
        let wasIdle = requestsSent > 0
        parser.expectResponse(to: "GET")
        pendingEvents = []
        var sent = 0
        func sendMore(upTo limit: Int) async throws {
            let end = min(requests.count, limit)
            guard sent < end else { return }
            let bytes = requests[sent..<end].flatMap { $0.serialized() }
            requestsSent += end - sent
            sent = end
            try await stream.write(bytes)
        }
        do {
            try await sendMore(upTo: depth)
        } catch {
            reusable = false
            if wasIdle && !(error is CancellationError) { return nil }
            throw mapTransportError(error)
        }
        var responses: [HTTPResponse] = []
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        while responses.count < requests.count {
            guard !pendingEvents.isEmpty else {
                guard let bytes = try await readTransport() else {
                    reusable = false
                    if wasIdle && responses.isEmpty && head == nil { return nil }
                    throw ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: "connection closed after \(responses.count) of \(requests.count) pipelined responses")
                }
                pendingEvents = try await parse(bytes)
                continue
            }
            switch pendingEvents.removeFirst() {
            case .head(let next):
                head = next
            case .body(let bytes):
                body += bytes
                if body.count > maxBodyBytes {
                    await close()
                    throw ContainerEngineError.responseTooLarge(limit: maxBodyBytes)
                }
            case .end:
                guard let complete = head else { throw ContainerEngineError.invalidResponse(reason: "a response ended before its head") }
                responses.append(HTTPResponse(head: complete, body: body))
                head = nil
                body = []
                guard responses.count < requests.count else { break }
                guard complete.keepAlive else {
                    reusable = false
                    throw ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: "the engine closed the connection after \(responses.count) of \(requests.count) pipelined responses")
                }
                // The parser stops at a message's end; bytes of the next response already read wait in it.
                parser.expectResponse(to: "GET")
                pendingEvents = try await parse([])
                do { try await sendMore(upTo: responses.count + depth) } catch {
                    reusable = false
                    throw mapTransportError(error)
                }
            }
        }
        if responses.last?.head.keepAlive == false { reusable = false }
        return responses
    }

    private var pendingEvents: [HTTPResponseParser.Event] = []

    private func parse(_ bytes: [UInt8]) async throws -> [HTTPResponseParser.Event] {
        do {
            return try parser.feed(bytes)
        } catch {
            reusable = false
            await stream.close()
            throw ContainerEngineError.invalidResponse(reason: error.reason)
        }
    }

    private func readTransport() async throws -> [UInt8]? {
        do {
            return try await stream.read()
        } catch is CancellationError {
            reusable = false
            throw CancellationError()
        } catch {
            reusable = false
            throw mapTransportError(error)
        }
    }

    private func mapTransportError(_ error: any Error) -> any Error {
        if error is ContainerEngineError || error is CancellationError { return error }
        return ContainerEngineError.streamInterrupted(endpoint: endpoint, reason: String(describing: error).prefix(200).description)
    }
}
