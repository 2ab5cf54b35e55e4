import Foundation
import UnityParsers

/// The full inspect document of one container, environment values masked unless revealed. Its own
/// protocol so engines and fakes without it still conform to `ContainerEngine`.
public protocol ContainerInspecting: Sendable {
    func inspect(_ id: String, revealEnvironment: Bool) async throws -> ContainerInspectDocument
}

extension DockerAPIEngine: ContainerInspecting {
    public func inspect(_ id: String, revealEnvironment: Bool) async throws -> ContainerInspectDocument {
        try await getDecoded("/containers/\(Self.pathSegment(id))/json", what: "container \(id)") { (data) throws(ParseError) in
            try ContainerInspectDocument.decode(data, revealEnvironment: revealEnvironment)
        }
    }
}
