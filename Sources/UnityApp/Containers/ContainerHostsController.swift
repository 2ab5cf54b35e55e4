import Fluent
import UnityContainers
import Vapor

struct ContainerHostDTO: Content, APIExample {
    var id: UUID
    var serverId: UUID?
    var name: String
    var transport: String
    var socketPath: String?
    var engine: String?
    var engineVersion: String?
    var apiVersion: String?
    var os: String?
    var architecture: String?
    var storageDriver: String?
    var cgroupVersion: String?
    var rootless: Bool
    var status: String
    var lastErrorCode: String?
    var lastErrorMessage: String?
    var lastDiscoveredAt: Date?
    var enabled: Bool
    /// `tcp://host:port` of a TLS or plain-TCP host.
    var endpoint: String?
    var caCertificateId: UUID?
    var clientCertificateId: UUID?
    /// The daemon's certificate when Unity issued it (TLS set-up).
    var serverCertificateId: UUID?
    var insecurePlainTcp: Bool
    /// Set for a plain-TCP host: why it should not stay one.
    var warning: String?

    init(_ row: ContainerHostRecord) throws {
        id = try row.requireID(); serverId = row.serverID; name = row.name; transport = row.transport; socketPath = row.socketPath
        engine = row.engineKind; engineVersion = row.engineVersion; apiVersion = row.apiVersion; os = row.os; architecture = row.architecture
        storageDriver = row.storageDriver; cgroupVersion = row.cgroupVersion; rootless = row.rootless; status = row.status
        lastErrorCode = row.lastErrorCode; lastErrorMessage = row.lastErrorMessage; lastDiscoveredAt = row.lastDiscoveredAt; enabled = row.enabled
        endpoint = row.endpoint; caCertificateId = row.caCertificateID; clientCertificateId = row.clientCertificateID
        serverCertificateId = row.serverCertificateID; insecurePlainTcp = row.insecurePlainTCP ?? false
        warning = row.transportKind == .tcp ? ContainerHostTLS.plainTCPWarning : nil
    }

    private init() {
        id = UUID(); serverId = UUID(); name = "nas"; transport = "ssh"; socketPath = "/run/docker.sock"; engine = "docker"
        engineVersion = "20.10.24"; apiVersion = "1.41"; os = "linux"; architecture = "x86_64"; storageDriver = "overlay2"; cgroupVersion = "2"
        rootless = false; status = "up"; lastErrorCode = "container_engine_down"; lastErrorMessage = "The container engine is not accepting connections"
        lastDiscoveredAt = Date(); enabled = true
        endpoint = "tcp://nas.lan:2376"; caCertificateId = UUID(); clientCertificateId = UUID(); serverCertificateId = UUID()
        insecurePlainTcp = false; warning = ContainerHostTLS.plainTCPWarning
    }

    static var example: ContainerHostDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["transport": ContainerHostRecord.TransportKind.allCases.map(\.rawValue), "status": ContainerHostRecord.Status.allCases.map(\.rawValue),
         "engine": ["docker", "podman"]]
    }
}

struct CreateContainerHostBody: Content, APIExample {
    /// Enable containers on this monitored server (engine auto-detected over SSH).
    var serverId: UUID?
    /// Or a local unix socket of Docker or Podman on the Unity host.
    var socketPath: String?
    var name: String?
    /// Or a daemon's TCP port, `tcp://host:2376`: TLS with the two certificates below, from the inventory.
    var endpoint: String?
    /// The CA that signed the daemon's certificate (a CA certificate in the inventory).
    var caCertificateId: UUID?
    /// Unity's client certificate; Unity must hold its private key.
    var clientCertificateId: UUID?
    /// `true` for plain TCP without TLS (no certificates): anyone reaching the port controls the host.
    var insecurePlainTcp: Bool?
    static var example: CreateContainerHostBody {
        .init(serverId: UUID(), socketPath: "/run/docker.sock", name: "local-docker", endpoint: "tcp://nas.lan:2376",
              caCertificateId: UUID(), clientCertificateId: UUID(), insecurePlainTcp: false)
    }
}

/// `/api/v1/container-hosts`: the engines Unity inventories.
enum ContainerHostsController {
    static func list(_ request: Request) async throws -> [ContainerHostDTO] {
        try await ContainerHostRecord.query(on: request.db).sort(\.$name).all().map(ContainerHostDTO.init)
    }

    static func get(_ request: Request) async throws -> ContainerHostDTO { try ContainerHostDTO(try await find(request)) }

    static func find(_ request: Request) async throws -> ContainerHostRecord {
        let id = try request.uuidParameter(what: "container host")
        guard let host = try await ContainerHostRecord.find(id, on: request.db) else { throw APIError.notFound("container host") }
        return host
    }

    static func validSocketPath(_ path: String) throws {
        guard path.hasPrefix("/"), path.utf8.count < 108, !path.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw APIError.validation("socket_path", "an absolute path of a unix socket, shorter than 108 bytes")
        }
    }

    static func create(_ request: Request) async throws -> Response {
        let host = try await create(try request.decodeBody(CreateContainerHostBody.self), request: request)
        let response = Response(status: .created)
        try response.content.encode(try ContainerHostDTO(host))
        return response
    }

    /// Adds the host and discovers it once; the API and the server page's "Enable containers" share it.
    static func create(_ body: CreateContainerHostBody, request: Request) async throws -> ContainerHostRecord {
        let host: ContainerHostRecord
        switch (body.serverId, body.socketPath) {
        case _ where body.endpoint != nil || body.insecurePlainTcp != nil || body.caCertificateId != nil || body.clientCertificateId != nil:
            // A daemon's TCP port, optionally on a monitored server (which then counts as its container host).
            var name = body.name
            if let serverID = body.serverId {
                guard let server = try await MonitoredServer.find(serverID, on: request.db) else { throw APIError.validation("server_id", "no such server") }
                try await refuseSecondHost(on: server, db: request.db)
                name = name ?? server.name
            }
            guard let name else { throw APIError.validation("name", "required with endpoint") }
            host = try await ContainerHostTLS.host(name: try validName(name), serverID: body.serverId, body: body, on: request.db)
        case (let serverID?, let path):
            // With a server, `socket_path` is the engine's socket ON that server (a non-default one:
            // `docker --host unix://PATH` / `podman --url unix://PATH`, quoted for the remote shell).
            if let path { try validSocketPath(path) }
            guard let server = try await MonitoredServer.find(serverID, on: request.db) else { throw APIError.validation("server_id", "no such server") }
            try await refuseSecondHost(on: server, db: request.db)
            host = ContainerHostRecord(name: try validName(body.name ?? server.name), transport: .ssh, serverID: serverID, socketPath: path, now: Date())
        case (nil, let path?):
            try validSocketPath(path)
            guard let name = body.name else { throw APIError.validation("name", "required with socket_path") }
            host = ContainerHostRecord(name: try validName(name), transport: .socket, serverID: nil, socketPath: path, now: Date())
        default:
            throw APIError.validation("server_id", "give server_id (a monitored server), socket_path (a socket on the Unity host) or endpoint (tcp://host:2376 with TLS)")
        }
        if try await ContainerHostRecord.query(on: request.db).filter(\.$name == host.name).first() != nil {
            throw APIError.conflict("a container host named \(host.name) exists")
        }
        try await host.create(on: request.db)
        request.audit.targetID = host.id?.uuidString
        request.audit.details["name"] = host.name
        // First discovery at once: the answer shows the detected engine, or why it cannot be reached.
        _ = try? await ContainerDiscovery.run(host, application: request.application, database: request.db)
        return host
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let host = try await find(request)
        request.audit.targetID = host.id?.uuidString
        request.audit.details["name"] = host.name
        let id = try host.requireID()
        await ContainerEventWatch.stop(hostID: id, application: request.application)
        request.application.containerResourceSamples.forget(hostID: id)
        try await request.db.transaction { db in
            // Explicit, so SQLite without foreign-key enforcement leaves nothing behind either.
            try await ContainerEventRecord.query(on: db).filter(\.$hostID == id).delete()
            try await ContainerRecord.query(on: db).filter(\.$hostID == id).delete()
            try await ContainerImageRecord.query(on: db).filter(\.$hostID == id).delete()
            try await host.delete(on: db)
        }
        return .noContent
    }

    static func discover(_ request: Request) async throws -> ContainerHostDTO {
        let host = try await find(request)
        request.audit.targetID = host.id?.uuidString
        do {
            let outcome = try await ContainerDiscovery.run(host, application: request.application, database: request.db)
            request.audit.details["inserted"] = String(outcome.inserted)
            request.audit.details["removed"] = String(outcome.removed)
        } catch let error as ContainerEngineError {
            throw error.apiError
        }
        return try ContainerHostDTO(host)
    }

    private static func refuseSecondHost(on server: MonitoredServer, db: any Database) async throws {
        if try await ContainerHostRecord.query(on: db).filter(\.$serverID == server.requireID()).first() != nil {
            throw APIError.conflict("containers are already enabled on server \(server.name)")
        }
    }

    private static func validName(_ name: String) throws -> String {
        guard !name.isEmpty, name.count <= 100, !name.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw APIError.validation("name", "1 to 100 characters on one line")
        }
        return name
    }
}
