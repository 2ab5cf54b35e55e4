import Foundation
import NIOCore
import UnityAlerts
import Vapor

/// `GET /api/v1/alerts/stream`: Server-Sent Events, one `alert` event per change (fired,
/// acknowledged, snoozed, resolved), a comment every 15 s so proxies keep the connection open.
/// The browser's `EventSource` reconnects on its own; the page then reloads the list.
enum AlertStreamController {
    static let heartbeat: Duration = .seconds(15)

    static func stream(_ request: Request) async throws -> Response {
        let hub = request.unity.alerts.events
        let (id, events) = await hub.subscribe()
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/event-stream")
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        let body = Response.Body(asyncStream: { writer in
            defer { Task { await hub.unsubscribe(id) } }
            // A client that went away fails the next write; the stream must still be ended, or
            // Vapor's writer asserts (a crash in debug builds) when it is released.
            do { try await writer.write(.buffer(ByteBuffer(string: "retry: 3000\n: connected\n\n")))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await alert in events {
                        let json = try JSONEncoder.unity.encode(AlertDTO(alert))
                        var buffer = ByteBuffer(string: "event: alert\nid: \(alert.id.uuidString.lowercased())\ndata: ")
                        buffer.writeBytes(json)
                        buffer.writeString("\n\n")
                        try await writer.write(.buffer(buffer))
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        try await writer.write(.buffer(ByteBuffer(string: ": keep-alive\n\n")))
                    }
                }
                // Either side ending (hub finished at shutdown, or the client went away and a
                // write failed) ends the response.
                _ = try await group.next()
                group.cancelAll()
            } } catch {
                try? await writer.write(.error(error))
                return
            }
            try? await writer.write(.end)
        })
        return Response(status: .ok, headers: headers, body: body)
    }
}
