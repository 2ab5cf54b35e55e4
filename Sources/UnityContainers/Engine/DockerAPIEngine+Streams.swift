import Foundation
import UnityParsers

/// Turns the bytes of a streamed body into elements (log lines, stats samples, events).
/// Used by one consumer at a time (the stream it belongs to), hence Sendable by contract.
protocol EngineBodyDecoder: AnyObject, Sendable {
    associatedtype Element: Sendable
    func feed(_ bytes: [UInt8]) throws -> [Element]
    /// End of the body: what is left (a last line without newline).
    func finish() throws -> [Element]
}

/// A streamed response body on its own connection, decoded element by element as the consumer
/// pulls (a slow consumer holds the engine back, nothing piles up in Unity). The connection is
/// closed at the end of the body, on any error, and when the consumer's task is cancelled (the
/// transport's pending read wakes and closes); a consumer that just drops the stream releases the
/// connection with it. Used by one consumer at a time, hence @unchecked.
final class EngineBodyStream<Decoder: EngineBodyDecoder>: @unchecked Sendable {
    private let connection: EngineHTTPConnection
    private let decoder: Decoder
    private let endpoint: String
    private var queue: [Decoder.Element] = []
    private var ended = false

    init(connection: EngineHTTPConnection, decoder: Decoder, endpoint: String) {
        self.connection = connection
        self.decoder = decoder
        self.endpoint = endpoint
    }

    func next() async throws -> Decoder.Element? {
        while queue.isEmpty {
            if ended { return nil }
            do {
                if let bytes = try await connection.nextBodyChunk() {
                    queue += try decoder.feed(bytes)
                } else {
                    ended = true
                    queue += try decoder.finish()
                    await connection.close()
                }
            } catch is CancellationError {
                // The consumer stopped following: a normal end for it, and the connection goes.
                ended = true
                await connection.close()
                return nil
            } catch {
                ended = true
                await connection.close()
                throw Self.domainError(error)
            }
        }
        return queue.removeFirst()
    }

    static func domainError(_ error: any Error) -> ContainerEngineError {
        if let error = error as? ContainerEngineError { return error }
        return .invalidResponse(reason: String(describing: error).prefix(200).description)
    }

    var asyncStream: AsyncThrowingStream<Decoder.Element, any Error> {
        AsyncThrowingStream(unfolding: { try await self.next() })
    }
}

extension DockerAPIEngine {
    /// Sends `request` on a dedicated connection (never a pooled one: the stream may last hours)
    /// and returns it once the engine accepted; an error answer is read (bounded) and thrown.
    func openStreamedResponse(_ request: HTTPRequest, what: String) async throws -> EngineHTTPConnection {
        let connection = EngineHTTPConnection(stream: try await transport.openStream(), endpoint: transport.endpointDescription)
        do {
            guard let head = try await connection.start(request) else {
                throw ContainerEngineError.streamInterrupted(endpoint: transport.endpointDescription,
                                                             reason: "connection closed before a response arrived")
            }
            if !(200..<300).contains(head.status) {
                var body: [UInt8] = []
                while body.count < 64 * 1024, let chunk = try await connection.nextBodyChunk() { body += chunk }
                await connection.close()
                try check(HTTPResponse(head: head, body: body), what: what)
                throw ContainerEngineError.engineError(status: head.status, message: Self.engineMessage(body))
            }
            return connection
        } catch {
            await connection.close()
            throw error
        }
    }

    func stream<Decoder: EngineBodyDecoder>(_ request: HTTPRequest, what: String, decoder: Decoder) async throws
        -> AsyncThrowingStream<Decoder.Element, any Error> {
        let connection = try await openStreamedResponse(request, what: what)
        return EngineBodyStream(connection: connection, decoder: decoder, endpoint: transport.endpointDescription).asyncStream
    }

    /// A path segment (container id or name) percent-encoded.
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? id
    }

    /// GET of a buffered JSON answer under the negotiated version, decoded by `decode`.
    func getDecoded<T>(_ path: String, what: String, _ decode: (Data) throws(ParseError) -> T) async throws -> T {
        let response = try await send(HTTPRequest(method: "GET", target: try await versioned(path)))
        try check(response, what: what)
        do { return try decode(Data(response.body)) } catch {
            // What the engine sent instead helps (Podman answers 200 and then writes an error text).
            let start = String(decoding: response.body.prefix(120), as: UTF8.self)
            throw ContainerEngineError.invalidResponse(reason: "\(error.description); the answer began with: \(start.debugDescription)")
        }
    }
}

/// Newline-delimited JSON documents decoded one by one (`/events`, `/stats?stream=true`).
final class JSONLinesDecoder<Element: Sendable>: EngineBodyDecoder, @unchecked Sendable {
    private var splitter = JSONLineSplitter()
    private let decode: (Data) throws(ParseError) -> Element

    init(_ decode: @escaping (Data) throws(ParseError) -> Element) {
        self.decode = decode
    }

    func feed(_ bytes: [UInt8]) throws -> [Element] {
        try splitter.feed(bytes).map { line in try decode(Data(line)) }
    }

    func finish() throws -> [Element] {
        try splitter.finish().map { [try decode(Data($0))] } ?? []
    }
}

extension DockerAPIEngine: ContainerLiveEngine {}
