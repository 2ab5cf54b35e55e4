import Foundation
import UnityParsers

extension DockerAPIEngine {
    public func events(since: Date?, filters: EngineEventFilters) async throws -> AsyncThrowingStream<EngineEvent, any Error> {
        var query: [String] = []
        if let since { query.append("since=\(max(0, Int(since.timeIntervalSince1970)))") }
        if let filters = filters.queryValue { query.append("filters=\(filters)") }
        let target = try await versioned("/events" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        return try await stream(HTTPRequest(method: "GET", target: target), what: "events",
                                decoder: JSONLinesDecoder { (data) throws(ParseError) in try EngineEvent.decode(data) })
    }
}
