import Foundation
import UnityParsers

extension DockerAPIEngine {
    public func top(_ id: String, psArguments: ContainerTopArguments) async throws -> ContainerProcessList {
        // Only the allow-listed values of ContainerTopArguments ever reach ps on the host.
        let query = psArguments == .engineDefault ? "" : "?ps_args=\(psArguments.rawValue)"
        return try await getDecoded("/containers/\(Self.pathSegment(id))/top\(query)", what: "container \(id)") {
            (data) throws(ParseError) in try ContainerProcessList.decode(data)
        }
    }
}
