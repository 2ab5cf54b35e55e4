import Fluent
import UnityCredentials
import Vapor

/// `/api/v1/distributions`: start an install / revoke / rotate job (202, runs in the background),
/// follow its per-server progress, and retry the servers an interrupted job did not reach.
enum DistributionsController {
    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(CreateDistributionBody.self)
        guard let operation = KeyOperation(rawValue: body.operation) else { throw APIError.validation("operation", "expected install, revoke or rotate") }
        guard (1...500).contains(body.serverIds.count) else { throw APIError.validation("server_ids", "give 1 to 500 servers") }
        let path = (body.authorizedKeysPath ?? ".ssh/authorized_keys").trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty, path.count <= 500, !path.contains("\n"), !path.contains("\0") else {
            throw APIError.validation("authorized_keys_path", "a path relative to the login user's home, or absolute")
        }
        if operation == .rotate {
            guard let newID = body.newKeyId else { throw APIError.validation("new_key_id", "rotate needs the key that replaces key_id") }
            guard newID != body.keyId else { throw APIError.validation("new_key_id", "must differ from key_id") }
        } else if body.newKeyId != nil {
            throw APIError.validation("new_key_id", "only rotate takes a new key")
        }
        let job = try await DistributionStart.start(.init(operation: operation, keyID: body.keyId, newKeyID: body.newKeyId,
                                                          serverIDs: body.serverIds, authorizedKeysPath: path), request: request)
        return try accepted(job)
    }

    /// A new job with the same operation, keys and path, for the servers the old one did not finish.
    static func retry(_ request: Request) async throws -> Response {
        try accepted(try await DistributionStart.retry(try await find(request), request: request))
    }

    static func list(_ request: Request) async throws -> Page<DistributionDTO> {
        await request.unity.jobs.sweep(DistributionJobKind())
        let paging = try PageRequest(request)
        let query = DistributionJob.query(on: request.db)
        let total = try await query.count()
        let rows = try await query.sort(\.$createdAt, .descending).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try rows.map(DistributionDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> DistributionDTO {
        try DistributionDTO(try await find(request))
    }

    /// The job, after ending it as interrupted if its replica is gone (so a reader never waits on a dead job).
    static func find(_ request: Request) async throws -> DistributionJob {
        let id = try request.uuidParameter(what: "distribution")
        guard let job = try await DistributionJob.find(id, on: request.db) else { throw APIError.notFound("distribution") }
        guard job.status == DistributionJob.Status.running.rawValue else { return job }
        await request.unity.jobs.sweep(DistributionJobKind())
        return try await DistributionJob.find(id, on: request.db) ?? job
    }

    private static func accepted(_ job: DistributionJob) throws -> Response {
        let response = Response(status: .accepted)
        try response.content.encode(try DistributionDTO(job))
        return response
    }
}
