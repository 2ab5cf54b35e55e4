import Fluent
import UnityContainers
import Vapor

struct ContainerDTO: Content, APIExample {
    struct Compose: Content {
        var project: String
        var service: String?
        var workingDir: String?
        var configFiles: [String]
    }

    var id: UUID
    var hostId: UUID
    var engineId: String
    var name: String
    var image: String?
    var imageId: String?
    var repoDigests: [String]
    var created: Date?
    var started: Date?
    var finished: Date?
    var state: String
    var health: String?
    var restartCount: Int
    var exitCode: Int?
    var oomKilled: Bool
    var ports: [StoredPort]
    var mounts: [StoredMount]
    var networks: [String]
    var labels: [String: String]
    var compose: Compose?
    var pod: String?
    var restartPolicy: String?
    /// Names only: values are never stored or returned.
    var envNames: [String]
    var firstSeenAt: Date
    var updatedAt: Date
    var removedAt: Date?

    init(_ row: ContainerRecord) throws {
        id = try row.requireID(); hostId = row.hostID; engineId = row.engineID; name = row.name; image = row.imageReference
        imageId = row.imageID; repoDigests = row.repoDigests; created = row.created; started = row.started; finished = row.finished
        state = row.state; health = row.health; restartCount = row.restartCount; exitCode = row.exitCode; oomKilled = row.oomKilled
        ports = row.ports; mounts = row.mounts; networks = row.networks; labels = row.labels
        compose = row.composeProject.map { Compose(project: $0, service: row.composeService, workingDir: row.composeWorkingDir, configFiles: row.composeConfigFiles) }
        pod = row.pod; restartPolicy = row.restartPolicy; envNames = row.envNames
        firstSeenAt = row.firstSeenAt; updatedAt = row.updatedAt; removedAt = row.removedAt
    }

    private init() {
        id = UUID(); hostId = UUID(); engineId = String(repeating: "ab", count: 32); name = "web"; image = "nginx:1.25"; imageId = "sha256:" + String(repeating: "cd", count: 32)
        repoDigests = ["nginx@sha256:" + String(repeating: "ef", count: 32)]; created = Date(); started = Date(); finished = Date()
        state = "running"; health = "healthy"; restartCount = 0; exitCode = 0; oomKilled = false
        ports = (try? JSONDecoder().decode([StoredPort].self, from: Data(#"[{"containerPort":"80/tcp","hostIP":"0.0.0.0","hostPort":"8080"}]"#.utf8))) ?? []
        mounts = (try? JSONDecoder().decode([StoredMount].self, from: Data(#"[{"kind":"named_volume","name":"data","source":"/var/lib/docker/volumes/data/_data","destination":"/data","readWrite":true}]"#.utf8))) ?? []
        networks = ["bridge"]; labels = ["com.docker.compose.project": "web"]
        compose = Compose(project: "web", service: "nginx", workingDir: "/srv/web", configFiles: ["/srv/web/compose.yml"])
        pod = "pod-id"; restartPolicy = "unless-stopped"; envNames = ["PATH", "TZ"]; firstSeenAt = Date(); updatedAt = Date(); removedAt = Date()
    }

    static var example: ContainerDTO { .init() }
}

/// `/api/v1/containers`: the inventory, and actions that go to the engine at once.
enum ContainersController {
    static let queryParameters: [QueryParameter] = [
        .init(name: "host_id", kind: .string, description: "only this container host"),
        .init(name: "state", kind: .string, description: "running, exited, paused, created, …"),
        .init(name: "compose_project", kind: .string, description: "only this compose project"),
        .init(name: "include_removed", kind: .boolean, description: "also containers gone from the engine (default false)"),
    ]
    static let timeoutQuery: [QueryParameter] = [.init(name: "timeout", kind: .integer, description: "seconds before the engine kills (0 to 3600)")]
    static let forceQuery: [QueryParameter] = [.init(name: "force", kind: .boolean, description: "remove even if running")]

    static func list(_ request: Request) async throws -> [ContainerDTO] {
        let query = ContainerRecord.query(on: request.db)
        if let raw = request.query[String.self, at: "host_id"] {
            guard let id = UUID(uuidString: raw) else { throw APIError.validation("host_id", "expected a UUID") }
            query.filter(\.$hostID == id)
        }
        if let state = request.query[String.self, at: "state"] { query.filter(\.$state == state) }
        if let project = request.query[String.self, at: "compose_project"] { query.filter(\.$composeProject == project) }
        if let raw = request.query[String.self, at: "include_removed"] {
            guard let value = Bool(raw) else { throw APIError.validation("include_removed", "expected true or false") }
            if !value { query.filter(\.$removedAt == nil) }
        } else {
            query.filter(\.$removedAt == nil)
        }
        return try await query.sort(\.$name).all().map(ContainerDTO.init)
    }

    static func get(_ request: Request) async throws -> ContainerDTO { try ContainerDTO(try await find(request)) }

    static func find(_ request: Request) async throws -> ContainerRecord {
        let id = try request.uuidParameter(what: "container")
        guard let row = try await ContainerRecord.find(id, on: request.db) else { throw APIError.notFound("container") }
        return row
    }

    enum Action: String { case start, stop, restart, pause, unpause }

    static func act(_ action: Action) -> @Sendable (Request) async throws -> ContainerDTO {
        { request in
            try await perform(action, on: try await find(request), timeout: try timeoutParameter(request), request: request)
        }
    }

    /// One action on one container (the API route, the page's buttons and its bulk form).
    static func perform(_ action: Action, on row: ContainerRecord, timeout: Int?, request: Request) async throws -> ContainerDTO {
        try await onEngine(row, request: request) { engine, id in
            switch action {
            case .start: try await engine.start(id)
            case .stop: try await engine.stop(id, timeout: timeout)
            case .restart: try await engine.restart(id, timeout: timeout)
            case .pause: try await engine.pause(id)
            case .unpause: try await engine.unpause(id)
            }
        }
    }

    static func remove(_ request: Request) async throws -> HTTPStatus {
        var force = false
        if let raw = request.query[String.self, at: "force"] {
            guard let value = Bool(raw) else { throw APIError.validation("force", "expected true or false") }
            force = value
        }
        try await remove(try await find(request), force: force, request: request)
        return .noContent
    }

    static func remove(_ row: ContainerRecord, force: Bool, request: Request) async throws {
        request.audit.details["force"] = String(force)
        _ = try await onEngine(row, request: request) { engine, id in try await engine.remove(id, force: force, removeAnonymousVolumes: true) }
    }

    /// Runs an action on the container's engine, audits it, then rediscovers the host so the answer
    /// (and the inventory) shows the state the engine now reports.
    private static func onEngine(_ row: ContainerRecord, request: Request, _ body: (any ContainerEngine, String) async throws -> Void) async throws -> ContainerDTO {
        guard row.removedAt == nil else { throw APIError.notFound("container") }
        request.audit.targetID = row.id?.uuidString
        request.audit.details["name"] = row.name
        guard let host = try await ContainerHostRecord.find(row.hostID, on: request.db) else { throw APIError.notFound("container host") }
        do {
            let engine = try await request.application.containerEngines.engine(for: host, application: request.application)
            try await body(engine, row.engineID)
            try await InventoryStore.discover(host, engine: engine, on: request.db, now: { Date() })
        } catch let error as ContainerEngineError {
            await request.application.containerEngineCache.evict(row.hostID)
            throw error.apiError
        }
        return try ContainerDTO(try await ContainerRecord.find(row.requireID(), on: request.db) ?? row)
    }

    private static func timeoutParameter(_ request: Request) throws -> Int? {
        guard let raw = request.query[String.self, at: "timeout"] else { return nil }
        guard let value = Int(raw), (0...3600).contains(value) else { throw APIError.validation("timeout", "seconds, 0 to 3600") }
        request.audit.details["timeout"] = String(value)
        return value
    }
}
