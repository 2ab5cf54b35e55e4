import Foundation

/// What `GET /version` and `GET /info` of the Docker Engine API (Docker, or Podman's Docker-compatible
/// service) say about the engine. Decoding is lenient: every field is optional, because Podman
/// omits some and older daemons lack others.
public struct EngineVersionInfo: Sendable, Equatable {
    public var version: String?
    public var apiVersion: String?
    public var minAPIVersion: String?
    public var os: String?
    public var architecture: String?
    /// Names from `Components` ("Engine", "containerd", "Podman Engine", "Conmon", …).
    public var componentNames: [String]

    public var isPodman: Bool { componentNames.contains { $0.lowercased().contains("podman") } }

    private struct Wire: Decodable {
        var Version: String?
        var ApiVersion: String?
        var MinAPIVersion: String?
        var Os: String?
        var Arch: String?
        var Components: [Component]?
        struct Component: Decodable { var Name: String? }
    }

    public static func decode(_ data: Data) throws(ParseError) -> EngineVersionInfo {
        do {
            let wire = try JSONDecoder().decode(Wire.self, from: data)
            return EngineVersionInfo(version: wire.Version, apiVersion: wire.ApiVersion, minAPIVersion: wire.MinAPIVersion,
                                     os: wire.Os, architecture: wire.Arch,
                                     componentNames: (wire.Components ?? []).compactMap(\.Name))
        } catch {
            throw ParseError(source: "GET /version", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
    }
}

/// The parts of `GET /info` Unity records on the host row.
public struct EngineSystemInfo: Sendable, Equatable {
    public var storageDriver: String?
    /// "1" or "2" (Docker ≥ 20.10 and Podman report `CgroupVersion`).
    public var cgroupVersion: String?
    public var operatingSystem: String?
    public var rootless: Bool

    private struct Wire: Decodable {
        var Driver: String?
        var CgroupVersion: String?
        var OperatingSystem: String?
        var SecurityOptions: [String]?
    }

    public static func decode(_ data: Data) throws(ParseError) -> EngineSystemInfo {
        do {
            let wire = try JSONDecoder().decode(Wire.self, from: data)
            // Rootless Docker and rootless Podman both list "name=rootless" among the security options.
            let rootless = (wire.SecurityOptions ?? []).contains { $0.split(separator: ",").contains("name=rootless") }
            return EngineSystemInfo(storageDriver: wire.Driver, cgroupVersion: wire.CgroupVersion,
                                    operatingSystem: wire.OperatingSystem, rootless: rootless)
        } catch {
            throw ParseError(source: "GET /info", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
    }
}

/// A Docker Engine API version ("1.41"), ordered numerically (1.9 < 1.41).
public struct EngineAPIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".")
        guard parts.count == 2, parts.allSatisfy({ $0.count <= 4 }), let major = Int(parts[0]), let minor = Int(parts[1]),
              major >= 0, minor >= 0 else { return nil }
        self.init(major, minor)
    }

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: EngineAPIVersion, rhs: EngineAPIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
