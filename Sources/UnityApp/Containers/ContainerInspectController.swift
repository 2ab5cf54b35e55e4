import Foundation
import NIOCore
import UnityContainers
import UnityParsers
import Vapor

/// `GET /api/v1/containers/{id}/inspect`: the engine's full inspect document, every environment
/// value masked (`NAME=***`, done by the parser). `reveal_env=true` shows the values to admins
/// only; every reveal, granted, refused or failed, writes an audit event (without the values).
enum ContainerInspectController {
    static let revealAction = "containers.reveal_env"
    static let queryParameters: [QueryParameter] = [
        .init(name: "reveal_env", kind: .boolean, description: "show environment values (admins only, audited)"),
    ]

    static func inspect(_ request: Request) async throws -> Response {
        let reveal = try ContainerLogsController.boolean(request, "reveal_env") ?? false
        let live = try await ContainerLiveAccess.resolve(request)
        if reveal, live.principal.effectiveRole < .admin {
            await ContainerLiveAccess.audit(request, live, action: revealAction, outcome: .forbidden)
            throw APIError.forbidden("only admins may reveal environment values")
        }
        let document: ContainerInspectDocument
        do {
            document = try await ContainerLiveAccess.onEngine(live, request) { engine in
                guard let inspecting = engine as? any ContainerInspecting else {
                    throw ContainerEngineError.transportUnavailable(endpoint: live.host.name, reason: "this engine client cannot inspect")
                }
                return try await inspecting.inspect(live.row.engineID, revealEnvironment: reveal)
            }
        } catch {
            if reveal { await ContainerLiveAccess.audit(request, live, action: revealAction, outcome: UnityErrorMiddleware.map(error).status) }
            throw error
        }
        if reveal { await ContainerLiveAccess.audit(request, live, action: revealAction, outcome: .ok) }
        // The document's own bytes, so the engine's CamelCase keys are not snake_cased by the API encoder.
        var buffer = ByteBuffer()
        buffer.writeString(#"{"container_id":"\#(try live.row.requireID().uuidString.lowercased())","engine_id":"#)
        buffer.writeBytes(try JSONEncoder().encode(live.row.engineID))
        buffer.writeString(#","env_revealed":\#(document.environmentRevealed),"inspect":"#)
        buffer.writeBytes(document.json)
        buffer.writeString("}")
        var headers = HTTPHeaders()
        headers.contentType = .json
        if reveal { headers.replaceOrAdd(name: .cacheControl, value: "no-store") }
        return Response(status: .ok, headers: headers, body: .init(buffer: buffer))
    }
}
