import FluentKit
import Foundation

/// One container engine Unity inventories: a monitored server's engine (reached over SSH), a local
/// socket, or a daemon's TCP port (TLS, or plain TCP by explicit opt-in). The engine facts are what
/// the last successful discovery recorded.
public final class ContainerHostRecord: Model, @unchecked Sendable {
    public static let schema = "container_hosts"

    /// `tcp`: plain TCP without TLS, only with `insecurePlainTCP` set (anyone on the network is root).
    public enum TransportKind: String, Sendable, Codable, CaseIterable { case ssh, socket, tls, tcp }
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Not discovered yet.
        case pending
        case up
        /// The engine could not be reached (socket missing, daemon down, SSH failed).
        case unreachable
        /// The engine answered but discovery failed (invalid answer, API too old, …).
        case error
    }

    @ID(key: .id) public var id: UUID?
    /// The monitored server the engine runs on; nil for a local socket host.
    @OptionalField(key: "server_id") public var serverID: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "transport") public var transport: String
    @OptionalField(key: "socket_path") public var socketPath: String?
    /// docker | podman; nil until discovered (auto-detected).
    @OptionalField(key: "engine_kind") public var engineKind: String?
    @OptionalField(key: "engine_version") public var engineVersion: String?
    @OptionalField(key: "api_version") public var apiVersion: String?
    @OptionalField(key: "os") public var os: String?
    @OptionalField(key: "architecture") public var architecture: String?
    @OptionalField(key: "storage_driver") public var storageDriver: String?
    @OptionalField(key: "cgroup_version") public var cgroupVersion: String?
    @Field(key: "rootless") public var rootless: Bool
    @Field(key: "status") public var status: String
    @OptionalField(key: "last_error_code") public var lastErrorCode: String?
    @OptionalField(key: "last_error_message") public var lastErrorMessage: String?
    @OptionalField(key: "last_discovered_at") public var lastDiscoveredAt: Date?
    @Field(key: "enabled") public var enabled: Bool
    @Field(key: "created_at") public var createdAt: Date
    /// `tcp://host:port` of a TLS or plain-TCP host (033).
    @OptionalField(key: "endpoint") public var endpoint: String?
    /// Inventory certificates (by id) a TLS host trusts and authenticates with; the client key is
    /// opened from the certificate's sealed column only while the transport is built.
    @OptionalField(key: "ca_certificate_id") public var caCertificateID: UUID?
    @OptionalField(key: "client_certificate_id") public var clientCertificateID: UUID?
    /// The daemon's own certificate when Unity issued and deployed it (one-click TLS set-up).
    @OptionalField(key: "server_certificate_id") public var serverCertificateID: UUID?
    /// The explicit opt-in a `tcp` host needs.
    @OptionalField(key: "insecure_plain_tcp") public var insecurePlainTCP: Bool?

    public init() {}

    public init(name: String, transport: TransportKind, serverID: UUID?, socketPath: String?, now: Date) {
        self.name = name
        self.transport = transport.rawValue
        self.serverID = serverID
        self.socketPath = socketPath
        self.rootless = false
        self.status = Status.pending.rawValue
        self.enabled = true
        self.createdAt = now
    }

    public var transportKind: TransportKind? { TransportKind(rawValue: transport) }

    /// Records what a successful discovery learned about the engine.
    public func record(_ facts: ContainerEngineFacts, at now: Date) {
        engineKind = facts.kind.rawValue
        engineVersion = facts.version
        apiVersion = facts.apiVersion.description
        os = facts.os
        architecture = facts.architecture
        storageDriver = facts.storageDriver
        cgroupVersion = facts.cgroupVersion
        rootless = facts.rootless
        status = Status.up.rawValue
        lastErrorCode = nil
        lastErrorMessage = nil
        lastDiscoveredAt = now
    }

    /// Records a failed discovery: unreachable when the engine could not be reached at all.
    public func record(_ error: ContainerEngineError) {
        status = (error.isUnreachable ? Status.unreachable : Status.error).rawValue
        lastErrorCode = error.code
        lastErrorMessage = error.message
    }
}

/// 023 – containers: engines Unity inventories (a server's, or a local socket).
public struct CreateContainerHosts: AsyncMigration {
    public let name = "023-containers-create-hosts"
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(ContainerHostRecord.schema)
            .id()
            .field("server_id", .uuid, .references("servers", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("transport", .string, .required)
            .field("socket_path", .string)
            .field("engine_kind", .string)
            .field("engine_version", .string)
            .field("api_version", .string)
            .field("os", .string)
            .field("architecture", .string)
            .field("storage_driver", .string)
            .field("cgroup_version", .string)
            .field("rootless", .bool, .required)
            .field("status", .string, .required)
            .field("last_error_code", .string)
            .field("last_error_message", .string)
            .field("last_discovered_at", .datetime)
            .field("enabled", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    public func revert(on database: any Database) async throws { try await database.schema(ContainerHostRecord.schema).delete() }
}
