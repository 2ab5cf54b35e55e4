import Foundation

/// One image from `GET /images/json`: tags, every repo digest, size, created.
public struct ImageSummary: Sendable, Equatable {
    public var id: String
    public var tags: [String]
    public var repoDigests: [String]
    public var size: Int64?
    public var created: Date?

    private struct Wire: Decodable {
        var Id: String
        var RepoTags: [String]?
        var RepoDigests: [String]?
        var Size: Int64?
        var Created: Int64?
    }

    public static func decodeList(_ data: Data) throws(ParseError) -> [ImageSummary] {
        do {
            return try JSONDecoder().decode([Wire].self, from: data).map { wire in
                ImageSummary(id: wire.Id, tags: (wire.RepoTags ?? []).filter { $0 != "<none>:<none>" },
                             repoDigests: (wire.RepoDigests ?? []).filter { $0 != "<none>@<none>" }, size: wire.Size,
                             created: wire.Created.map { Date(timeIntervalSince1970: TimeInterval($0)) })
            }
        } catch {
            throw ParseError(source: "GET /images/json", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
    }
}

/// The ids from `GET /containers/json?all=true` (the list is then inspected one by one).
public enum ContainerList {
    private struct Wire: Decodable { var Id: String }

    public static func ids(_ data: Data) throws(ParseError) -> [String] {
        do {
            return try JSONDecoder().decode([Wire].self, from: data).map(\.Id)
        } catch {
            throw ParseError(source: "GET /containers/json", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
    }
}
