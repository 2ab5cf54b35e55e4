import Foundation

extension ImageSummary {
    /// `GET /images/{id}/json`: the same facts as a list entry, but `Created` is an RFC 3339 string here.
    public static func decodeInspect(_ data: Data) throws(ParseError) -> ImageSummary {
        struct Wire: Decodable {
            var Id: String
            var RepoTags: [String]?
            var RepoDigests: [String]?
            var Size: Int64?
            var Created: String?
        }
        do {
            let wire = try JSONDecoder().decode(Wire.self, from: data)
            return ImageSummary(id: wire.Id, tags: (wire.RepoTags ?? []).filter { $0 != "<none>:<none>" },
                                repoDigests: (wire.RepoDigests ?? []).filter { $0 != "<none>@<none>" }, size: wire.Size,
                                created: EngineTimestamp.parse(wire.Created))
        } catch {
            throw ParseError(source: "GET /images/{id}/json", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
    }
}
