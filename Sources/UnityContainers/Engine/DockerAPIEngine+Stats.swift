import Foundation
import UnityParsers

extension DockerAPIEngine {
    public func stats(_ id: String, quick: Bool) async throws -> ContainerStatsSample {
        var query = "stream=false"
        // one-shot exists from API 1.41 on (Docker 20.10, Podman 4's compat API).
        if quick, try await apiVersion() >= EngineAPIVersion(1, 41) { query += "&one-shot=true" }
        return try await getDecoded("/containers/\(Self.pathSegment(id))/stats?\(query)", what: "container \(id)") {
            (data) throws(ParseError) in try ContainerStatsSample.decode(data)
        }
    }

    public func statsStream(_ id: String) async throws -> AsyncThrowingStream<ContainerStatsSample, any Error> {
        let request = HTTPRequest(method: "GET", target: try await versioned("/containers/\(Self.pathSegment(id))/stats?stream=true"))
        return try await stream(request, what: "container \(id)", decoder: JSONLinesDecoder { (data) throws(ParseError) in
            try ContainerStatsSample.decode(data)
        })
    }
}
