import Foundation
import UnityParsers

// The `ContainerResourceListing` half of `ContainerEngine` (declared with the class).
extension DockerAPIEngine {
    public func volumes() async throws -> [VolumeSummary] {
        let data = try await resourceJSON("/volumes", what: "volumes")
        do { return try VolumeSummary.decodeList(data) } catch { throw ContainerEngineError.invalidResponse(reason: error.description) }
    }

    public func networks() async throws -> [NetworkSummary] {
        let data = try await resourceJSON("/networks", what: "networks")
        do { return try NetworkSummary.decodeList(data) } catch { throw ContainerEngineError.invalidResponse(reason: error.description) }
    }

    private func resourceJSON(_ path: String, what: String) async throws -> Data {
        let response = try await send(HTTPRequest(method: "GET", target: try await versioned(path)))
        try check(response, what: what)
        return Data(response.body)
    }
}
