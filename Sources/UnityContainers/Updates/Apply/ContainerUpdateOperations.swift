import Foundation
import UnityParsers

/// The engine calls an update makes beyond the inventory ones. `DockerAPIEngine` implements them for
/// Docker and Podman's Docker-compatible API; the update engine is written against this protocol.
public protocol ContainerUpdateOperations: ContainerEngine {
    /// The API version requests use (decides one network at create or all of them).
    func negotiatedAPIVersion() async throws -> EngineAPIVersion
    /// The container's inspect as the engine sent it, nil when there is no such container.
    func inspectContainerRaw(_ idOrName: String) async throws -> RawContainerInspect?
    /// nil when the image is not present locally.
    func inspectImage(_ reference: String) async throws -> ImageInspectFacts?
    /// Pulls `reference` (`repo:tag` or `repo@sha256:…`), reading the progress stream to its end;
    /// throws when the engine reports an error in it (the HTTP status is 200 by then).
    func pullImage(_ reference: String, credentials: RegistryPullCredentials?) async throws
    /// Tags `source` (id or reference) as `repository:tag`.
    func tagImage(_ source: String, repository: String, tag: String) async throws
    func renameContainer(_ idOrName: String, to newName: String) async throws
    /// `POST /containers/create?name=`, returns the new container's id.
    func createContainer(name: String, body: EngineJSON) async throws -> String
    /// Attaches a created container to one more network (API < 1.44 takes one network at create).
    func connectNetwork(_ network: String, container: String, endpoint: EngineJSON) async throws
    /// The last `lines` lines of output (stdout and stderr), evidence of a failed health gate.
    func recentLogs(_ id: String, lines: Int) async throws -> [String]
}

/// Credentials for one registry, sent as `X-Registry-Auth`. Never logged or journaled.
public struct RegistryPullCredentials: Sendable, Equatable {
    public var username: String
    public var password: String
    public var serverAddress: String

    public init(username: String, password: String, serverAddress: String) {
        self.username = username
        self.password = password
        self.serverAddress = serverAddress
    }

    /// base64url of `{"username","password","serveraddress"}`, the header the engine expects.
    public var headerValue: String {
        let json = EngineJSON.object(["username": .string(username), "password": .string(password),
                                      "serveraddress": .string(serverAddress)])
        return Data(json.serialized()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}

/// Looks up the credentials of a registry host (`ghcr.io`, `docker.io`); nil = anonymous.
public typealias RegistryCredentialLookup = @Sendable (_ registryHost: String) async -> RegistryPullCredentials?

/// One container's inspect kept whole, with the fields the update engine reads.
public struct RawContainerInspect: Sendable, Equatable {
    public var json: EngineJSON

    public init(json: EngineJSON) { self.json = json }

    public var id: String { json["Id"]?.string ?? "" }
    public var shortID: String { String(id.prefix(12)) }
    /// Without the leading slash the engine puts there.
    public var name: String {
        let raw = json["Name"]?.string ?? ""
        return raw.hasPrefix("/") ? String(raw.dropFirst()) : raw
    }
    public var imageID: String { json["Image"]?.string ?? "" }
    public var configuredImage: String { json.at("Config", "Image")?.string ?? "" }
    public var running: Bool { json.at("State", "Running")?.bool ?? false }
    public var restarting: Bool { json.at("State", "Restarting")?.bool ?? false }
    public var status: String { json.at("State", "Status")?.string ?? "" }
    public var restartCount: Int64 { json["RestartCount"]?.int ?? 0 }
    /// `starting`, `healthy`, `unhealthy`, nil when the container has no HEALTHCHECK running.
    public var healthStatus: String? {
        let state = json["State"]
        let value = (state?["Health"] ?? state?["Healthcheck"])?["Status"]?.string
        return (value?.isEmpty ?? true) ? nil : value
    }
    /// A HEALTHCHECK is configured and not disabled (`NONE`).
    public var hasHealthcheck: Bool {
        guard let test = json.at("Config", "Healthcheck", "Test")?.stringArray, let first = test.first else { return false }
        return first != "NONE"
    }
}

/// What an update needs of an image: identity, platform and the defaults a container inherits.
public struct ImageInspectFacts: Sendable, Equatable {
    public var id: String
    public var repoDigests: [String]
    public var os: String?
    public var architecture: String?
    /// The image's `Config` (Env, Cmd, Entrypoint, Labels, WorkingDir, User, Healthcheck…).
    public var config: EngineJSON

    public init(id: String, repoDigests: [String], os: String?, architecture: String?, config: EngineJSON) {
        self.id = id
        self.repoDigests = repoDigests
        self.os = os
        self.architecture = architecture
        self.config = config
    }

    public init(json: EngineJSON) {
        self.init(id: json["Id"]?.string ?? "", repoDigests: json["RepoDigests"]?.stringArray ?? [],
                  os: json["Os"]?.string, architecture: json["Architecture"]?.string,
                  config: json["Config"] ?? .object([:]))
    }
}
