import Fluent
import Vapor

struct ServerCredentialDTO: Content, APIExample {
    var id: UUID
    var name: String
    var username: String
    var hasPassword: Bool
    var hasSudoPassword: Bool
    var sshKeyId: UUID?
    var port: Int?
    var notes: String
    var usedBy: Int
    var createdAt: Date?

    static var example: ServerCredentialDTO {
        .init(id: UUID(), name: "nas admin", username: "unity", hasPassword: false, hasSudoPassword: true, sshKeyId: UUID(), port: 22,
              notes: "sudo for smartctl only", usedBy: 3, createdAt: Date())
    }
}

struct ServerCredentialBody: Content, APIExample {
    var name: String?
    var username: String?
    /// Write-only: never returned (see reveal). An empty string removes it.
    var password: String?
    var sudoPassword: String?
    var sshKeyId: UUID?
    var port: Int?
    var notes: String?
    static var example: ServerCredentialBody {
        .init(name: "nas admin", username: "unity", password: "…", sudoPassword: "…", sshKeyId: UUID(), port: 22, notes: "")
    }
}

struct RevealedCredentialDTO: Content, APIExample {
    var id: UUID
    var password: String?
    var sudoPassword: String?
    static var example: RevealedCredentialDTO { .init(id: UUID(), password: "…", sudoPassword: "…") }
}

/// `/api/v1/credentials`: login details servers reference instead of carrying their own secrets.
/// Passwords are write-only except through the audited reveal.
enum ServerCredentialsController {
    static func list(_ request: Request) async throws -> Page<ServerCredentialDTO> {
        let paging = try PageRequest(request)
        let query = ServerCredential.query(on: request.db)
        let total = try await query.count()
        let rows = try await query.sort(\.$name).range(paging.offset..<(paging.offset + paging.perPage)).all()
        var items: [ServerCredentialDTO] = []
        for row in rows { items.append(try await dto(row, on: request.db)) }
        return Page(items: items, page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> ServerCredentialDTO { try await dto(try await find(request), on: request.db) }

    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(ServerCredentialBody.self)
        guard body.name != nil else { throw APIError.validation("name", "is required") }
        guard body.username != nil else { throw APIError.validation("username", "is required") }
        let row = ServerCredential()
        row.notes = ""
        try await apply(body, to: row, request: request)
        try await row.create(on: request.db)
        request.audit.targetID = row.id?.uuidString
        let response = Response(status: .created)
        try response.content.encode(try await dto(row, on: request.db))
        return response
    }

    static func update(_ request: Request) async throws -> ServerCredentialDTO {
        let row = try await find(request)
        try await apply(try request.content.decode(ServerCredentialBody.self), to: row, request: request)
        try await row.save(on: request.db)
        return try await dto(row, on: request.db)
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let row = try await find(request)
        let users = try await MonitoredServer.query(on: request.db).filter(\.$credentialID == row.requireID()).count()
        guard users == 0 else { throw APIError.conflict("\(row.name) is used by \(users) servers; change them first") }
        try await row.delete(on: request.db)
        return .noContent
    }

    static func reveal(_ request: Request) async throws -> RevealedCredentialDTO {
        let row = try await find(request)
        let secrets = request.unity.secrets
        return RevealedCredentialDTO(
            id: try row.requireID(),
            password: try row.sealedPassword.map { try ServerCredential.passwordColumn.open($0, id: row.requireID(), in: secrets) },
            sudoPassword: try row.sealedSudoPassword.map { try ServerCredential.sudoPasswordColumn.open($0, id: row.requireID(), in: secrets) })
    }

    private static func apply(_ body: ServerCredentialBody, to row: ServerCredential, request: Request) async throws {
        if let name = body.name {
            row.name = try ObjectName.valid(name)
            if let other = try await ServerCredential.query(on: request.db).filter(\.$name == row.name).first(), other.id != row.id {
                throw APIError.conflict("a credential named \(row.name) already exists")
            }
        }
        if let username = body.username {
            let trimmed = username.trimmingCharacters(in: .whitespaces)
            guard (1...64).contains(trimmed.count), trimmed.range(of: #"^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$"#, options: .regularExpression) != nil else {
                throw APIError.validation("username", "a POSIX user name (letters, digits, . _ -)")
            }
            row.username = trimmed
        }
        let secrets = request.unity.secrets
        if let password = body.password {
            row.sealedPassword = password.isEmpty ? nil : try ServerCredential.passwordColumn.seal(password, id: row.sealingID(), in: secrets)
        }
        if let sudo = body.sudoPassword {
            row.sealedSudoPassword = sudo.isEmpty ? nil : try ServerCredential.sudoPasswordColumn.seal(sudo, id: row.sealingID(), in: secrets)
        }
        if let keyID = body.sshKeyId {
            guard try await SSHKeyRecord.find(keyID, on: request.db) != nil else { throw APIError.validation("ssh_key_id", "no such SSH key") }
            row.sshKeyID = keyID
        }
        if let port = body.port {
            guard (1...65_535).contains(port) else { throw APIError.validation("port", "1 to 65535") }
            row.port = port
        }
        if let notes = body.notes {
            guard notes.count <= 2_000 else { throw APIError.validation("notes", "at most 2000 characters") }
            row.notes = notes
        }
        guard row.sshKeyID != nil || row.sealedPassword != nil else {
            throw APIError.validation("ssh_key_id", "a credential needs an SSH key or a password")
        }
    }

    private static func find(_ request: Request) async throws -> ServerCredential {
        let id = try request.uuidParameter(what: "credential")
        request.audit.targetID = id.uuidString
        guard let row = try await ServerCredential.find(id, on: request.db) else { throw APIError.notFound("credential") }
        return row
    }

    private static func dto(_ row: ServerCredential, on db: any Database) async throws -> ServerCredentialDTO {
        let id = try row.requireID()
        return ServerCredentialDTO(id: id, name: row.name, username: row.username, hasPassword: row.sealedPassword != nil,
                                   hasSudoPassword: row.sealedSudoPassword != nil, sshKeyId: row.sshKeyID, port: row.port, notes: row.notes,
                                   usedBy: try await MonitoredServer.query(on: db).filter(\.$credentialID == id).count(), createdAt: row.createdAt)
    }
}
