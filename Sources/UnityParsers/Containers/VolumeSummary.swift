import Foundation

/// One volume from `GET /volumes` (Docker, and Podman's Docker API): `{"Volumes": [...], "Warnings": ...}`.
public struct VolumeSummary: Sendable, Equatable {
    public var name: String
    public var driver: String?
    public var mountpoint: String?
    public var scope: String?
    public var labels: [String: String]
    public var created: Date?
    /// A 64-hex-digit name: made by the engine for a `-v /path` or an image `VOLUME`, not by a person.
    public var anonymous: Bool

    private struct ListWire: Decodable { var Volumes: [Wire]? }
    private struct Wire: Decodable {
        var Name: String
        var Driver: String?
        var Mountpoint: String?
        var Scope: String?
        var Labels: [String: String]?
        var CreatedAt: String?
    }

    public static func decodeList(_ data: Data) throws(ParseError) -> [VolumeSummary] {
        do {
            return try (JSONDecoder().decode(ListWire.self, from: data).Volumes ?? []).map { wire in
                VolumeSummary(name: wire.Name, driver: wire.Driver, mountpoint: wire.Mountpoint, scope: wire.Scope,
                              labels: wire.Labels ?? [:], created: EngineTimestamp.parse(wire.CreatedAt),
                              anonymous: EngineNames.isAnonymousVolume(wire.Name) || wire.Labels?["com.docker.volume.anonymous"] != nil)
            }.sorted { $0.name < $1.name }
        } catch {
            throw ParseError(source: "GET /volumes", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
    }
}
