import Fluent
import UnityInfrastructure
import Vapor

struct MonitoredDatabaseDTO: Content, APIExample {
    var id: UUID
    var engine: String
    var host: String?
    var port: Int?
    var databaseName: String?
    var username: String?
    var credentialId: UUID?
    var version: String?
    var uptimeSeconds: Int?
    var connections: Int?
    var sizeBytes: UInt64?
    var cacheHitRatio: Double?
    var lastError: String?
    var probedAt: Date?

    init(_ row: MonitoredDatabase) throws {
        id = try row.requireID(); engine = row.engine; host = row.host; port = row.port; databaseName = row.databaseName
        username = row.username; credentialId = row.credentialID; lastError = row.lastError; probedAt = row.probedAt
        let status = row.status
        version = status?.version; uptimeSeconds = status?.uptimeSeconds; connections = status?.connections
        sizeBytes = status?.sizeBytes; cacheHitRatio = status?.cacheHitRatio
    }

    private init() {
        id = UUID(); engine = "postgresql"; host = "127.0.0.1"; port = 5432; databaseName = "postgres"; username = "monitor"; credentialId = UUID()
        version = "15.18"; uptimeSeconds = 86_400; connections = 7; sizeBytes = 1 << 30; cacheHitRatio = 0.99
        lastError = "password authentication failed"; probedAt = Date()
    }

    static var example: MonitoredDatabaseDTO { .init() }
    static var allowedValues: [String: [String]] { ["engine": DatabaseEngine.allCases.map(\.rawValue)] }
}

struct MonitoredDatabaseBody: Content, APIExample {
    var engine: String
    var host: String?
    var port: Int?
    var databaseName: String?
    /// Database user for trust/peer authentication; a linked credential's username wins.
    var username: String?
    /// A credential whose username and password log in to the database.
    var credentialId: UUID?
    static var example: MonitoredDatabaseBody {
        .init(engine: "postgresql", host: "127.0.0.1", port: 5432, databaseName: "postgres", username: "monitor", credentialId: UUID())
    }
    static var allowedValues: [String: [String]] { ["engine": ["postgresql", "mysql", "mariadb", "redis"]] }
}

/// `/api/v1/servers/{id}/databases`: which discovered databases to probe, and their last state.
enum DatabasesController {
    static func list(_ request: Request) async throws -> [MonitoredDatabaseDTO] {
        let server = try await ServersController.find(request)
        return try await MonitoredDatabase.query(on: request.db).filter(\.$serverID == server.requireID()).all().map(MonitoredDatabaseDTO.init)
    }

    static func create(_ request: Request) async throws -> Response {
        let server = try await ServersController.find(request)
        let body = try request.content.decode(MonitoredDatabaseBody.self)
        guard let engine = DatabaseEngine(rawValue: body.engine), [.postgresql, .mysql, .mariadb, .redis].contains(engine) else {
            throw APIError.validation("engine", "Unity probes postgresql, mysql, mariadb and redis")
        }
        if let port = body.port, !(1...65_535).contains(port) { throw APIError.validation("port", "1 to 65535") }
        for (field, value) in [("host", body.host), ("database_name", body.databaseName), ("username", body.username)] {
            if let value, value.isEmpty || value.count > 255 || value.contains(where: { $0.isNewline || $0 == "\0" }) {
                throw APIError.validation(field, "1 to 255 characters on one line")
            }
        }
        if let id = body.credentialId, try await ServerCredential.find(id, on: request.db) == nil {
            throw APIError.validation("credential_id", "no such credential")
        }
        let row = MonitoredDatabase()
        row.serverID = try server.requireID()
        row.engine = engine.rawValue
        row.host = body.host
        row.port = body.port
        row.databaseName = body.databaseName
        row.username = body.username
        row.credentialID = body.credentialId
        try await row.create(on: request.db)
        request.audit.targetID = row.id?.uuidString
        let response = Response(status: .created)
        try response.content.encode(try MonitoredDatabaseDTO(row))
        return response
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let server = try await ServersController.find(request)
        let id = try request.uuidParameter("database", what: "database")
        guard let row = try await MonitoredDatabase.find(id, on: request.db), row.serverID == server.id else { throw APIError.notFound("database") }
        try await row.delete(on: request.db)
        return .noContent
    }
}
