import Foundation

/// One network from `GET /networks` (Docker, and Podman's Docker API).
public struct NetworkSummary: Sendable, Equatable {
    public var id: String
    public var name: String
    public var driver: String?
    public var scope: String?
    public var isInternal: Bool
    public var attachable: Bool
    public var ipv6: Bool
    /// `Subnet` of each IPAM config entry (`172.17.0.0/16`).
    public var subnets: [String]
    public var gateways: [String]
    public var labels: [String: String]
    public var created: Date?

    private struct Wire: Decodable {
        var Id: String
        var Name: String?
        var Driver: String?
        var Scope: String?
        var Internal: Bool?
        var Attachable: Bool?
        var EnableIPv6: Bool?
        var IPAM: IPAMWire?
        var Labels: [String: String]?
        var Created: String?
        struct IPAMWire: Decodable {
            var Config: [ConfigWire]?
            struct ConfigWire: Decodable { var Subnet: String?; var Gateway: String? }
        }
    }

    public static func decodeList(_ data: Data) throws(ParseError) -> [NetworkSummary] {
        do {
            return try JSONDecoder().decode([Wire].self, from: data).map { wire in
                let config = wire.IPAM?.Config ?? []
                return NetworkSummary(id: wire.Id, name: wire.Name ?? wire.Id, driver: wire.Driver, scope: wire.Scope,
                                      isInternal: wire.Internal ?? false, attachable: wire.Attachable ?? false,
                                      ipv6: wire.EnableIPv6 ?? false, subnets: config.compactMap(\.Subnet).filter { !$0.isEmpty },
                                      gateways: config.compactMap(\.Gateway).filter { !$0.isEmpty }, labels: wire.Labels ?? [:],
                                      created: EngineTimestamp.parse(wire.Created))
            }.sorted { $0.name < $1.name }
        } catch {
            throw ParseError(source: "GET /networks", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
    }
}
