import Foundation
import NIOCore
import UnityContainers
import Vapor

/// How a live stream reaches the caller: newline-delimited JSON for programs (`curl -N`, scripts),
/// Server-Sent Events for the browser's `EventSource` (asked for with `Accept: text/event-stream`).
enum LiveStreamFormat: Sendable {
    case ndjson, serverSentEvents

    static func wanted(by request: Request) -> LiveStreamFormat? {
        request.headers[.accept].contains { $0.lowercased().contains("text/event-stream") } ? .serverSentEvents : nil
    }

    var contentType: String { self == .ndjson ? "application/x-ndjson" : "text/event-stream" }
}

/// A streamed answer from an engine stream (log lines, stats samples). One element per NDJSON line
/// or per SSE event named `event`; a keep-alive every heartbeat (a blank line, or an SSE comment),
/// which is also how a client that went away is noticed, since only a write can fail; on every
/// heartbeat the caller's credential is checked again, uncached, so a revoked key or a disabled
/// user ends the stream within one heartbeat. An engine failure is sent as a last
/// `{"error": {"code", "message"}}` (SSE: event `engine_error`), a clean end as SSE event `end`.
/// However the response ends, the engine stream is cancelled first (its connection closes) and
/// the stream's slot is given back.
enum ContainerLiveResponse {
    static func stream<Source: Sendable, Element: Encodable & Sendable>(
        _ request: Request, _ live: LiveContainer, format: LiveStreamFormat, event: String,
        open: () async throws -> AsyncThrowingStream<Source, any Error>,
        transform: @escaping @Sendable (Source) -> Element?
    ) async throws -> Response {
        let streams = request.application.containerLiveStreams
        let slot = try streams.claim(user: live.principal.userID, host: try live.host.requireID())
        let elements: AsyncThrowingStream<Source, any Error>
        do {
            // Opened before answering, so a missing container or a down engine is a JSON error with its status.
            elements = try await open()
        } catch let error as ContainerEngineError {
            streams.release(slot)
            throw error.apiError
        } catch {
            streams.release(slot)
            throw error
        }
        let heartbeat = streams.heartbeat
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format.contentType)
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        let body = Response.Body(asyncStream: { writer in
            defer { streams.release(slot) }
            do {
                if format == .serverSentEvents { try await writer.write(.buffer(ByteBuffer(string: "retry: 3000\n: connected\n\n"))) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await forward(elements, to: writer, format: format, event: event, transform: transform)
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: heartbeat)
                            guard await ContainerLiveAccess.mayStillRead(request, live) else { return }
                            try await writer.write(.buffer(ByteBuffer(string: format == .ndjson ? "\n" : ": keep-alive\n\n")))
                        }
                    }
                    // Whichever ends first (engine stream over, access ended, client gone) ends the
                    // response; leaving the group cancels the other and waits for it, so the engine
                    // connection is closed before the slot is released.
                    _ = try await group.next()
                    group.cancelAll()
                }
            } catch {
                // The client went away (a write failed): the writer must still be ended, or Vapor asserts.
                try? await writer.write(.error(error))
                return
            }
            try? await writer.write(.end)
        })
        return Response(status: .ok, headers: headers, body: body)
    }

    private static func forward<Source: Sendable, Element: Encodable & Sendable>(
        _ elements: AsyncThrowingStream<Source, any Error>, to writer: any AsyncBodyStreamWriter, format: LiveStreamFormat,
        event: String, transform: @Sendable (Source) -> Element?
    ) async throws {
        var iterator = elements.makeAsyncIterator()
        while true {
            let next: Source?
            do {
                next = try await iterator.next()
            } catch {
                if Task.isCancelled { return }
                let failure = (error as? ContainerEngineError)?.apiError
                    ?? APIError(status: .serviceUnavailable, code: "container_engine_stream_interrupted", message: "the engine stream ended unexpectedly")
                try await writer.write(.buffer(frame(ErrorLine(failure), format: format, event: "engine_error")))
                return
            }
            guard let next else {
                if format == .serverSentEvents, !Task.isCancelled { try await writer.write(.buffer(ByteBuffer(string: "event: end\ndata: {}\n\n"))) }
                return
            }
            guard let element = transform(next) else { continue }
            try await writer.write(.buffer(frame(element, format: format, event: event)))
        }
    }

    private static func frame(_ value: some Encodable, format: LiveStreamFormat, event: String) -> ByteBuffer {
        let json = (try? JSONEncoder.unity.encode(value)) ?? Data("{}".utf8)
        var buffer = ByteBuffer()
        if format == .serverSentEvents { buffer.writeString("event: \(event)\ndata: ") }
        buffer.writeBytes(json)
        buffer.writeString(format == .ndjson ? "\n" : "\n\n")
        return buffer
    }

    /// The API's error shape, as the last line of a stream.
    private struct ErrorLine: Encodable {
        struct Body: Encodable { var code: String; var message: String }
        var error: Body
        init(_ error: APIError) { self.error = Body(code: error.code, message: error.message) }
    }
}
