import FluentKit
import Foundation
import UnityParsers

/// One container as last discovered on a host. A container gone from the engine keeps its row with
/// `removed_at` set (its history stays readable); lists and values in JSON text columns.
public final class ContainerRecord: Model, @unchecked Sendable {
    public static let schema = "containers"

    @ID(key: .id) public var id: UUID?
    @Field(key: "host_id") public var hostID: UUID
    @Field(key: "engine_id") public var engineID: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "image_reference") public var imageReference: String?
    @OptionalField(key: "image_id") public var imageID: String?
    @Field(key: "repo_digests") public var repoDigestsJSON: String
    @OptionalField(key: "created") public var created: Date?
    @OptionalField(key: "started") public var started: Date?
    @OptionalField(key: "finished") public var finished: Date?
    @Field(key: "state") public var state: String
    @OptionalField(key: "health") public var health: String?
    @Field(key: "restart_count") public var restartCount: Int
    @OptionalField(key: "exit_code") public var exitCode: Int?
    @Field(key: "oom_killed") public var oomKilled: Bool
    @Field(key: "ports") public var portsJSON: String
    @Field(key: "mounts") public var mountsJSON: String
    @Field(key: "networks") public var networksJSON: String
    @Field(key: "labels") public var labelsJSON: String
    @OptionalField(key: "compose_project") public var composeProject: String?
    @OptionalField(key: "compose_service") public var composeService: String?
    @OptionalField(key: "compose_working_dir") public var composeWorkingDir: String?
    @Field(key: "compose_config_files") public var composeConfigFilesJSON: String
    @OptionalField(key: "pod") public var pod: String?
    @OptionalField(key: "restart_policy") public var restartPolicy: String?
    /// Names only: values are dropped while decoding and never reach the database.
    @Field(key: "env_names") public var envNamesJSON: String
    @Field(key: "first_seen_at") public var firstSeenAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @OptionalField(key: "removed_at") public var removedAt: Date?

    public init() {}

    public init(hostID: UUID, details: ContainerDetails, now: Date) {
        self.hostID = hostID
        self.firstSeenAt = now
        self.removedAt = nil
        copy(details)
        self.updatedAt = now
    }

    /// Copies what the engine reports and says whether any stored column changed. `updated_at` moves
    /// only then, and the caller saves only then: a warm discovery that finds nothing new writes
    /// nothing (it used to rewrite every row, a third of its time).
    @discardableResult
    public func refresh(from details: ContainerDetails, now: Date) -> Bool {
        let before = comparableColumns
        copy(details)
        guard comparableColumns != before else { return false }
        updatedAt = now
        return true
    }

    /// The engine-reported columns as text; dates to the millisecond, the precision every database keeps.
    private var comparableColumns: [String?] {
        func instant(_ date: Date?) -> String? { date.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } }
        return [engineID, name, imageReference, imageID, repoDigestsJSON, instant(created), instant(started), instant(finished),
                state, health, String(restartCount), exitCode.map(String.init), String(oomKilled), portsJSON, mountsJSON,
                networksJSON, labelsJSON, composeProject, composeService, composeWorkingDir, composeConfigFilesJSON, pod,
                restartPolicy, envNamesJSON]
    }

    /// Copies everything the engine reports (the row keeps its id and first-seen time).
    private func copy(_ details: ContainerDetails) {
        engineID = details.id
        name = details.name
        imageReference = details.imageReference
        imageID = details.imageID
        repoDigestsJSON = InventoryJSON.encode(details.repoDigests)
        created = details.created
        started = details.started
        finished = details.finished
        state = details.state
        health = details.health
        restartCount = details.restartCount
        exitCode = details.exitCode
        oomKilled = details.oomKilled
        portsJSON = InventoryJSON.encode(details.ports.map(StoredPort.init))
        mountsJSON = InventoryJSON.encode(details.mounts.map(StoredMount.init))
        networksJSON = InventoryJSON.encode(details.networks)
        labelsJSON = InventoryJSON.encode(details.labels)
        composeProject = details.compose?.project
        composeService = details.compose?.service
        composeWorkingDir = details.compose?.workingDirectory
        composeConfigFilesJSON = InventoryJSON.encode(details.compose?.configFiles ?? [])
        pod = details.pod
        restartPolicy = details.restartPolicy
        envNamesJSON = InventoryJSON.encode(details.environmentNames)
    }

    public var repoDigests: [String] { InventoryJSON.decode(repoDigestsJSON) ?? [] }
    public var ports: [StoredPort] { InventoryJSON.decode(portsJSON) ?? [] }
    public var mounts: [StoredMount] { InventoryJSON.decode(mountsJSON) ?? [] }
    public var networks: [String] { InventoryJSON.decode(networksJSON) ?? [] }
    public var labels: [String: String] { InventoryJSON.decode(labelsJSON) ?? [:] }
    public var composeConfigFiles: [String] { InventoryJSON.decode(composeConfigFilesJSON) ?? [] }
    public var envNames: [String] { InventoryJSON.decode(envNamesJSON) ?? [] }
}

public struct StoredPort: Codable, Sendable, Equatable {
    public var containerPort: String
    public var hostIP: String?
    public var hostPort: String?
    public init(_ port: ContainerDetails.Port) { containerPort = port.containerPort; hostIP = port.hostIP; hostPort = port.hostPort }
}

public struct StoredMount: Codable, Sendable, Equatable {
    /// bind | named_volume | anonymous_volume | tmpfs | other
    public var kind: String
    public var name: String?
    public var source: String?
    public var destination: String
    public var readWrite: Bool
    public init(_ mount: ContainerDetails.Mount) {
        kind = mount.kind.rawValue; name = mount.name; source = mount.source; destination = mount.destination; readWrite = mount.readWrite
    }
}

/// JSON text columns: sorted keys so an unchanged value is byte-identical between discoveries.
enum InventoryJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decode<T: Decodable>(_ text: String) -> T? { try? JSONDecoder().decode(T.self, from: Data(text.utf8)) }
}
