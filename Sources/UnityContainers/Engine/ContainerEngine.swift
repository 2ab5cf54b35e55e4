import Foundation
import UnityParsers

/// Which engine answers behind the Docker-compatible API.
public enum ContainerEngineKind: String, Sendable, Equatable, Codable {
    case docker, podman
}

/// What Unity records about an engine on its host row.
public struct ContainerEngineFacts: Sendable, Equatable {
    public var kind: ContainerEngineKind
    public var version: String?
    /// The version Unity speaks with this engine: min(Unity's max, the daemon's), never below the
    /// daemon's minimum.
    public var apiVersion: EngineAPIVersion
    /// The newest version the daemon offers.
    public var daemonAPIVersion: EngineAPIVersion
    /// Podman's own libpod API version (`Libpod-API-Version`), nil for Docker.
    public var libpodAPIVersion: String?
    public var os: String?
    public var architecture: String?
    public var storageDriver: String?
    public var cgroupVersion: String?
    public var rootless: Bool
}

/// One container engine, whatever carries its API (unix socket, SSH dial-stdio, TLS). Every method
/// throws `ContainerEngineError`.
public protocol ContainerEngine: ContainerResourceListing, Sendable {
    /// Pings, negotiates the API version and reads `/version` and `/info`.
    func facts() async throws -> ContainerEngineFacts
    /// Every container (running and stopped), inspected, with its image's repo digests.
    func containers() async throws -> [ContainerDetails]
    func images() async throws -> [ImageSummary]
    func start(_ id: String) async throws
    /// `timeout`: seconds the engine waits before killing (nil: the container's own default).
    func stop(_ id: String, timeout: Int?) async throws
    func restart(_ id: String, timeout: Int?) async throws
    func pause(_ id: String) async throws
    func unpause(_ id: String) async throws
    /// Refuses a running container unless `force` (checked by inspecting it first).
    func remove(_ id: String, force: Bool, removeAnonymousVolumes: Bool) async throws
}

/// The API-version rule, pure so it is tested without a daemon.
public enum APIVersionNegotiation {
    /// Unity's supported range. 1.41 = Docker 20.10 and Podman 4.x's Docker API; the maximum covers
    /// Docker 28 (1.51), and Docker 29's minimum (1.44) is inside the range.
    public static let unityMinimum = EngineAPIVersion(1, 41)
    public static let unityMaximum = EngineAPIVersion(1, 51)

    public static func choose(daemonMaximum: EngineAPIVersion, daemonMinimum: EngineAPIVersion?) throws(ContainerEngineError) -> EngineAPIVersion {
        if daemonMaximum < unityMinimum {
            throw .apiTooOld(daemonMaximum: daemonMaximum.description, unityMinimum: unityMinimum.description)
        }
        let chosen = min(unityMaximum, daemonMaximum)
        if let daemonMinimum, chosen < daemonMinimum {
            throw .apiTooNew(daemonMinimum: daemonMinimum.description, unityMaximum: unityMaximum.description)
        }
        return chosen
    }
}
