import Foundation
import UnityContainers
import UnityParsers
import Vapor

/// `GET /api/v1/containers/{id}/stats` and `/top`: live numbers and processes from the engine.
enum ContainerStatsController {
    static let statsQuery: [QueryParameter] = [
        .init(name: "quick", kind: .boolean, description: "answer at once without waiting for a second sample (no cpu_percent on Docker)"),
        .init(name: "stream", kind: .boolean, description: "a sample about every second until the client goes away (NDJSON; SSE with Accept: text/event-stream)"),
    ]
    static let topQuery: [QueryParameter] = [
        .init(name: "ps_args", kind: .string, description: "ps options from a fixed list: -ef or aux (default: the engine's)"),
    ]

    static func stats(_ request: Request) async throws -> Response {
        let quick = try ContainerLogsController.boolean(request, "quick") ?? false
        let streaming = try ContainerLogsController.boolean(request, "stream") ?? (LiveStreamFormat.wanted(by: request) != nil)
        let live = try await ContainerLiveAccess.resolve(request)
        if streaming {
            return try await ContainerLiveResponse.stream(request, live, format: LiveStreamFormat.wanted(by: request) ?? .ndjson, event: "stats",
                                                          open: {
                let engine = try await ContainerLiveAccess.engine(for: live.host, request)
                return try await engine.statsStream(live.row.engineID)
            }, transform: { ContainerStatsDTO($0) })
        }
        let sample = try await ContainerLiveAccess.onEngine(live, request) { engine in try await engine.stats(live.row.engineID, quick: quick) }
        let response = Response(status: .ok)
        try response.content.encode(ContainerStatsDTO(sample), using: JSONEncoder.unity)
        return response
    }

    static func top(_ request: Request) async throws -> ContainerProcessListDTO {
        var arguments = ContainerTopArguments.engineDefault
        if let raw = request.query[String.self, at: "ps_args"] {
            guard let allowed = ContainerTopArguments(rawValue: raw) else {
                throw APIError.validation("ps_args", "one of: -ef, aux (or empty for the engine's default)")
            }
            arguments = allowed
        }
        let live = try await ContainerLiveAccess.resolve(request)
        let list = try await ContainerLiveAccess.onEngine(live, request) { engine in try await engine.top(live.row.engineID, psArguments: arguments) }
        return ContainerProcessListDTO(titles: list.titles, processes: list.processes)
    }
}
