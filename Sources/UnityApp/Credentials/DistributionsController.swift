import Fluent
import UnityCredentials
import UnitySSH
import Vapor

/// `/api/v1/distributions`: start an install / revoke / rotate job (202, runs in the background)
/// and follow its per-server progress.
enum DistributionsController {
    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(CreateDistributionBody.self)
        guard let operation = KeyOperation(rawValue: body.operation) else { throw APIError.validation("operation", "expected install, revoke or rotate") }
        guard (1...500).contains(body.serverIds.count) else { throw APIError.validation("server_ids", "give 1 to 500 servers") }
        let path = (body.authorizedKeysPath ?? ".ssh/authorized_keys").trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty, path.count <= 500, !path.contains("\n"), !path.contains("\0") else {
            throw APIError.validation("authorized_keys_path", "a path relative to the login user's home, or absolute")
        }
        let key = try await privateKey(body.keyId, field: "key_id", request: request)
        var newKey: SSHPrivateKey?
        if operation == .rotate {
            guard let newID = body.newKeyId else { throw APIError.validation("new_key_id", "rotate needs the key that replaces key_id") }
            guard newID != body.keyId else { throw APIError.validation("new_key_id", "must differ from key_id") }
            newKey = try await privateKey(newID, field: "new_key_id", request: request)
        } else if body.newKeyId != nil {
            throw APIError.validation("new_key_id", "only rotate takes a new key")
        }
        var servers: [(id: UUID, name: String, target: SSHTarget)] = []
        var seen = Set<UUID>()
        for id in body.serverIds where seen.insert(id).inserted {
            guard let server = try await MonitoredServer.find(id, on: request.db) else {
                throw APIError.validation("server_ids", "\(id.uuidString.lowercased()) is not a known server")
            }
            guard server.statusValue != .hostKeyChanged else { throw APIError.conflict("\(server.name)'s host key changed; accept or reject it first") }
            servers.append((id, server.name, try await ServerTargets.target(for: server, request: request)))
        }
        let job = DistributionJob()
        job.id = UUID()
        job.operation = operation.rawValue
        job.keyID = body.keyId
        job.newKeyID = body.newKeyId
        job.status = DistributionJob.Status.running.rawValue
        job.requestedBy = try request.principal().username
        job.authorizedKeysPath = path
        job.serverIDs = JSONList.encode(servers.map(\.id.uuidString))
        job.results = "[]"
        try await job.create(on: request.db)
        request.audit.targetID = job.id?.uuidString
        request.audit.details["operation"] = operation.rawValue
        request.audit.details["servers"] = String(servers.count)

        let plan = DistributionRunner.Plan(jobID: try job.requireID(), operation: operation, key: key, keyID: body.keyId, newKey: newKey,
                                           newKeyID: body.newKeyId, servers: servers, location: AuthorizedKeysLocation(path))
        let application = request.application
        // The job outlives the request; the app's database and services outlive the job.
        Task { await DistributionRunner.run(plan, services: application.unity, database: application.db, logger: application.logger) }
        let response = Response(status: .accepted)
        try response.content.encode(try DistributionDTO(job))
        return response
    }

    static func list(_ request: Request) async throws -> Page<DistributionDTO> {
        let paging = try PageRequest(request)
        let query = DistributionJob.query(on: request.db)
        let total = try await query.count()
        let rows = try await query.sort(\.$createdAt, .descending).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try rows.map(DistributionDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> DistributionDTO {
        let id = try request.uuidParameter(what: "distribution")
        guard let job = try await DistributionJob.find(id, on: request.db) else { throw APIError.notFound("distribution") }
        return try DistributionDTO(job)
    }

    private static func privateKey(_ id: UUID, field: String, request: Request) async throws -> SSHPrivateKey {
        guard let record = try await SSHKeyRecord.find(id, on: request.db) else { throw APIError.validation(field, "no such SSH key") }
        let text = try request.unity.secrets.openString(record.sealedPrivateKey, purpose: SSHKeyRecord.privateKeyPurpose)
        return try SSHPrivateKey(text: text)
    }
}
