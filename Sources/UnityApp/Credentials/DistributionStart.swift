import Fluent
import UnityCredentials
import UnitySSH
import Vapor

/// Creates a distribution job and hands it to the background runner; shared by "start" and
/// "retry", which differ only in where the operation, keys and servers come from.
enum DistributionStart {
    struct Input: Sendable {
        var operation: KeyOperation
        var keyID: UUID
        var newKeyID: UUID?
        var serverIDs: [UUID]
        var authorizedKeysPath: String
    }

    static func start(_ input: Input, request: Request) async throws -> DistributionJob {
        let key = try await privateKey(input.keyID, field: "key_id", request: request)
        let newKey = try await input.newKeyID.asyncMap { try await privateKey($0, field: "new_key_id", request: request) }
        var servers: [(id: UUID, name: String, target: SSHTarget)] = []
        var seen = Set<UUID>()
        for id in input.serverIDs where seen.insert(id).inserted {
            guard let server = try await MonitoredServer.find(id, on: request.db) else {
                throw APIError.validation("server_ids", "\(id.uuidString.lowercased()) is not a known server")
            }
            guard server.statusValue != .hostKeyChanged else { throw APIError.conflict("\(server.name)'s host key changed; accept or reject it first") }
            servers.append((id, server.name, try await ServerTargets.target(for: server, request: request)))
        }
        let jobs = request.unity.jobs
        let job = DistributionJob()
        job.id = UUID()
        job.operation = input.operation.rawValue
        job.keyID = input.keyID
        job.newKeyID = input.newKeyID
        job.status = DistributionJob.Status.running.rawValue
        job.requestedBy = try request.principal().username
        job.authorizedKeysPath = input.authorizedKeysPath
        job.serverIDs = JSONList.encode(servers.map(\.id.uuidString))
        job.results = "[]"
        job.ownerReplica = jobs.ownership.replica
        job.heartbeatAt = Date()
        try await job.create(on: request.db)
        request.audit.targetID = job.id?.uuidString
        request.audit.details["operation"] = input.operation.rawValue
        request.audit.details["servers"] = String(servers.count)

        let plan = DistributionRunner.Plan(jobID: try job.requireID(), operation: input.operation, key: key, keyID: input.keyID, newKey: newKey,
                                           newKeyID: input.newKeyID, servers: servers, location: AuthorizedKeysLocation(input.authorizedKeysPath))
        let application = request.application
        // The job outlives the request; the app's database and services outlive the job.
        await jobs.start(DistributionJobKind(), id: plan.jobID) {
            await DistributionRunner.run(plan, services: application.unity, database: application.db, logger: application.logger)
        }
        return job
    }

    /// A new job with the same operation, keys and path, for the servers `job` did not finish.
    static func retry(_ job: DistributionJob, request: Request) async throws -> DistributionJob {
        guard job.status != DistributionJob.Status.running.rawValue else { throw APIError.conflict("the job is still running") }
        let servers = unfinishedServers(of: job)
        guard !servers.isEmpty else { throw APIError.conflict("every server of this job finished; start a new job to run it again") }
        guard let operation = KeyOperation(rawValue: job.operation) else { throw APIError.conflict("unknown operation \(job.operation)") }
        let retry = try await start(.init(operation: operation, keyID: job.keyID, newKeyID: job.newKeyID,
                                          serverIDs: servers, authorizedKeysPath: job.authorizedKeysPath), request: request)
        request.audit.details["retry_of"] = try job.requireID().uuidString
        return retry
    }

    /// The servers of a job that have no result: they were never reached, or the job stopped first.
    static func unfinishedServers(of job: DistributionJob) -> [UUID] {
        let results = (try? JSONDecoder.unity.decode([DistributionServerResult].self, from: Data(job.results.utf8))) ?? []
        let finished = Set(results.map { $0.serverId.uppercased() })
        return JSONList.decode(job.serverIDs).filter { !finished.contains($0.uppercased()) }.compactMap(UUID.init(uuidString:))
    }

    private static func privateKey(_ id: UUID, field: String, request: Request) async throws -> SSHPrivateKey {
        guard let record = try await SSHKeyRecord.find(id, on: request.db) else { throw APIError.validation(field, "no such SSH key") }
        let text = try SSHKeyRecord.privateKeyColumn.open(record.sealedPrivateKey, id: record.requireID(), in: request.unity.secrets)
        return try SSHPrivateKey(text: text)
    }
}

private extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
