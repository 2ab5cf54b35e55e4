import Fluent
import SQLKit
import UnityParsers
import UnitySSH
import Vapor

/// `/api/v1/servers`: the servers Unity reaches over SSH.
enum ServersController {
    static let queryParameters: [QueryParameter] = QueryParameter.paging + [
        .init(name: "status", kind: .string, description: "online, offline, error, host_key_changed or unknown"),
        .init(name: "tag", kind: .string, description: "only servers with this tag"),
        .init(name: "enabled", kind: .boolean, description: "true or false"),
    ]

    static func list(_ request: Request) async throws -> Page<ServerDTO> {
        let paging = try PageRequest(request)
        let query = MonitoredServer.query(on: request.db)
        if let status = request.query[String.self, at: "status"] {
            guard MonitoredServer.Status(rawValue: status) != nil else { throw APIError.validation("status", "unknown status \(status)") }
            query.filter(\.$status == status)
        }
        if let enabled = request.query[String.self, at: "enabled"] {
            guard let value = Bool(enabled) else { throw APIError.validation("enabled", "expected true or false") }
            query.filter(\.$enabled == value)
        }
        var servers = try await query.sort(\.$name).all()
        // Tags are a JSON list per row: filtered here, servers are tens to hundreds, not millions.
        if let tag = request.query[String.self, at: "tag"] { servers = servers.filter { JSONList.decode($0.tags).contains(tag) } }
        let page = servers.dropFirst(paging.offset).prefix(paging.perPage)
        return Page(items: try page.map(ServerDTO.init), page: paging.page, perPage: paging.perPage, total: servers.count)
    }

    static func get(_ request: Request) async throws -> ServerDTO { try ServerDTO(try await find(request)) }

    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(CreateServerBody.self)
        let server = MonitoredServer()
        server.status = MonitoredServer.Status.unknown.rawValue
        server.hostKeyPins = "[]"
        try await apply(UpdateServerBody(name: body.name, address: body.address, port: body.port ?? 22, username: body.username,
                                         tags: body.tags ?? [], enabled: body.enabled ?? true, intervalSeconds: body.intervalSeconds ?? 300,
                                         sshKeyId: body.sshKeyId, credentialId: body.credentialId, useSudo: body.useSudo ?? false,
                                         jumpServerId: body.jumpServerId), to: server, on: request.db)
        if let hostKey = body.hostKey {
            do {
                server.hostKeyPins = HostKeyPins.encode([try HostKeyPin(line: hostKey)])
            } catch {
                throw APIError.validation("host_key", "expected a public key line (ssh-ed25519 AAAA…) or a known_hosts line")
            }
        }
        try await server.create(on: request.db)
        request.audit.targetID = server.id?.uuidString
        request.audit.details["name"] = server.name
        let response = Response(status: .created)
        try response.content.encode(try ServerDTO(server))
        return response
    }

    static func update(_ request: Request) async throws -> ServerDTO {
        let server = try await find(request)
        try await apply(try request.content.decode(UpdateServerBody.self), to: server, on: request.db)
        // `null` removes a reference: the key, the login, or the jump server (direct connection).
        let nulls = JSONNulls.keys(in: request)
        if nulls.contains("ssh_key_id") { server.sshKeyID = nil }
        if nulls.contains("credential_id") { server.credentialID = nil }
        if nulls.contains("jump_server_id") { server.jumpServerID = nil }
        try await server.save(on: request.db)
        return try ServerDTO(server)
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let server = try await find(request)
        request.audit.details["name"] = server.name
        let id = try server.requireID()
        try await request.db.transaction { db in
            // Its history, snapshot and records go with it: nothing else refers to them.
            let series = try await MetricSeries.query(on: db).filter(\.$serverID == id).all().compactMap(\.id)
            if !series.isEmpty, let sql = db as? any SQLDatabase {
                for table in [MetricStore.samplesTable, MetricStore.rollupsTable] {
                    try await sql.delete(from: table).where("series_id", .in, series.map { Int64($0) }).run()
                }
            }
            try await MetricSeries.query(on: db).filter(\.$serverID == id).delete()
            try await ServerSnapshotRecord.query(on: db).filter(\.$id == id).delete()
            try await KeyInstallation.query(on: db).filter(\.$serverID == id).delete()
            try await MonitoredDatabase.query(on: db).filter(\.$serverID == id).delete()
            try await CertificateSighting.query(on: db).filter(\.$serverID == id).delete()
            try await CertificateDeploymentRecord.query(on: db).filter(\.$serverID == id).delete()
            try await server.delete(on: db)
        }
        return .noContent
    }

    static func bulkEnable(_ request: Request) async throws -> BulkResult {
        let body = try request.content.decode(BulkEnableBody.self)
        guard !body.ids.isEmpty, body.ids.count <= 1_000 else { throw APIError.validation("ids", "1 to 1000 server ids") }
        let matching = MonitoredServer.query(on: request.db).filter(\.$id ~~ body.ids)
        let count = try await matching.count()
        try await MonitoredServer.query(on: request.db).filter(\.$id ~~ body.ids).set(\.$enabled, to: body.enabled).update()
        request.audit.details["enabled"] = String(body.enabled)
        request.audit.details["count"] = String(count)
        return BulkResult(updated: count)
    }

    static func importPreview(_ request: Request) async throws -> ImportPreviewDTO {
        let body = try request.content.decode(ImportPreviewBody.self)
        guard body.text.utf8.count <= 1_000_000 else { throw APIError.validation("text", "at most 1 MB") }
        let result: ImportResult
        do {
            switch body.format {
            case "ssh_config": result = try SSHConfigImport.parse(body.text, limits: .preview)
            case "ansible": result = try AnsibleInventoryImport.parse(body.text, limits: .preview)
            default: throw APIError.validation("format", "expected ssh_config or ansible")
            }
        } catch let exceeded as ImportLimitExceeded {
            throw APIError.validation("text", exceeded.problem)
        }
        let names = result.servers.map(\.name)
        let existing = try await MonitoredServer.query(on: request.db).filter(\.$name ~~ names).all().map(\.name)
        return ImportPreviewDTO(servers: result.servers, warnings: result.warnings, existing: existing.sorted())
    }

    static func find(_ request: Request) async throws -> MonitoredServer {
        let id = try request.uuidParameter(what: "server")
        guard let server = try await MonitoredServer.find(id, on: request.db) else { throw APIError.notFound("server") }
        return server
    }
}
