import Foundation
import NIOCore
import UnityAlerts
import Vapor

/// `GET /api/v1/alerts/stream`: Server-Sent Events, one `alert` event per change (fired,
/// acknowledged, snoozed, resolved), a comment every heartbeat (15 s) so proxies keep the
/// connection open. On every heartbeat the caller's credentials are checked again, uncached: a
/// revoked key, a disabled user, a changed password or an ended session ends the stream within
/// one heartbeat. The browser's `EventSource` reconnects on its own; the page then reloads the list.
enum AlertStreamController {
    static func stream(_ request: Request) async throws -> Response {
        let hub = request.unity.alerts.events
        let principal = try request.principal()
        guard let (id, events) = await hub.subscribe(owner: principal.userID) else {
            throw APIError(status: .tooManyRequests, code: "too_many_streams",
                           message: "at most \(AlertEventHub.streamsPerUser) alert streams may be open per user; close one first",
                           headers: ["Retry-After": "15"])
        }
        let heartbeat = await hub.heartbeat
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
                        guard await mayStillListen(request, as: principal) else { return }
                        try await writer.write(.buffer(ByteBuffer(string: ": keep-alive\n\n")))
                    }
                }
                // Either side ending (hub finished at shutdown, the caller's access ended, or the
                // client went away and a write failed) ends the response.
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

    /// The request's credentials, resolved again from the database, still name the same user
    /// with at least the viewer role.
    static func mayStillListen(_ request: Request, as principal: Principal) async -> Bool {
        guard let current = try? await Authenticate.principal(of: request, cached: false) else { return false }
        return current.userID == principal.userID && current.effectiveRole >= .viewer
    }
}
