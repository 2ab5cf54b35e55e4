import Fluent
import Foundation
import Logging
import UnityAlerts
import UnityCredentials
import UnitySSH

/// Runs a distribution job in the background: results are stored per server as they finish, key
/// installations are tracked, and a server whose own access key was rotated is switched to the
/// new key only when the job proved it there.
enum DistributionRunner {
    struct Plan: Sendable {
        var jobID: UUID
        var operation: KeyOperation
        var key: SSHPrivateKey
        var keyID: UUID
        var newKey: SSHPrivateKey?
        var newKeyID: UUID?
        var servers: [(id: UUID, name: String, target: SSHTarget)]
        var location: AuthorizedKeysLocation
    }

    static func run(_ plan: Plan, services: UnityServices, database: any Database, logger: Logger) async {
        let distributor = KeyDistributor(executor: services.ssh, prover: FreshExecutorLoginProver(workspace: services.sshWorkspace))
        let managed = plan.servers.map { ManagedServer(id: $0.id.uuidString, access: $0.target, authorizedKeys: plan.location) }
        let (events, progress) = KeyJobEvent.stream()
        // A child task, so the runner's cancellation at shutdown reaches the distributor too.
        async let job = {
            switch plan.operation {
            case .install: await distributor.install(key: plan.key, on: managed, progress: progress)
            case .revoke: await distributor.revoke(key: PublicKey(plan.key), proveRefusalWith: plan.key, on: managed, progress: progress)
            case .rotate: await distributor.rotate(from: PublicKey(plan.key), to: plan.newKey ?? plan.key, on: managed, progress: progress)
            }
        }()
        var stored: [DistributionServerResult] = []
        for await event in events {
            guard case .serverFinished(let result) = event else { continue }
            let name = plan.servers.first { $0.id.uuidString == result.serverID }?.name ?? result.serverID
            stored.append(DistributionServerResult(
                serverId: result.serverID, serverName: name, outcome: result.outcome.rawValue, steps: result.steps.map(DistributionStepDTO.init),
                accessKeyFingerprint: result.accessKeyFingerprint, accessSwitched: result.accessSwitched, backupPath: result.backupPath,
                durationMs: result.duration.wholeMilliseconds))
            do {
                try await save(stored, status: nil, jobID: plan.jobID, on: database)
                try await record(result, plan: plan, services: services, database: database)
            } catch {
                logger.error("distribution job \(plan.jobID): cannot record \(name): \(String(describing: error))")
            }
        }
        let report = await job
        // Cut short by shutdown: the results so far are stored; the runner ends the job as interrupted.
        guard !Task.isCancelled else { return }
        let status: DistributionJob.Status = switch report.outcome {
        case .succeeded: .succeeded
        case .partial: .partial
        case .failed: .failed
        }
        do {
            try await save(stored, status: status, jobID: plan.jobID, on: database)
        } catch {
            logger.error("distribution job \(plan.jobID): cannot finish: \(String(describing: error))")
        }
    }

    private static func save(_ results: [DistributionServerResult], status: DistributionJob.Status?, jobID: UUID, on database: any Database) async throws {
        guard let job = try await DistributionJob.find(jobID, on: database) else { return }
        job.results = String(decoding: try JSONEncoder.unity.encode(results), as: UTF8.self)
        if let status {
            job.status = status.rawValue
            job.finishedAt = Date()
        }
        try await job.save(on: database)
    }

    /// Installations, the server's own key after a rotation, and the distribution alert.
    private static func record(_ result: ServerResult, plan: Plan, services: UnityServices, database: any Database) async throws {
        services.metrics.recordDistribution(operation: plan.operation.rawValue, outcome: result.outcome.rawValue)
        guard let serverID = UUID(uuidString: result.serverID), let server = try await MonitoredServer.find(serverID, on: database) else { return }
        let now = Date()
        if !result.outcome.isFailure {
            switch plan.operation {
            case .install: try await installed(plan.keyID, on: serverID, at: now, database: database)
            case .revoke: try await KeyInstallation.query(on: database).filter(\.$keyID == plan.keyID).filter(\.$serverID == serverID).delete()
            case .rotate:
                try await KeyInstallation.query(on: database).filter(\.$keyID == plan.keyID).filter(\.$serverID == serverID).delete()
                if let newKeyID = plan.newKeyID { try await installed(newKeyID, on: serverID, at: now, database: database) }
            }
        }
        // Unity's own access moves to the new key only when the job proved it on this server.
        if plan.operation == .rotate, result.accessSwitched, let newKeyID = plan.newKeyID,
           result.accessKeyFingerprint == plan.newKey?.fingerprint, server.sshKeyID == plan.keyID {
            server.sshKeyID = newKeyID
            try await server.save(on: database)
            try await AuditLog.record(.init(actorType: "system", action: "servers.access_key_switched", targetType: "server",
                                            targetID: server.id?.uuidString, outcome: "success",
                                            details: ["job": plan.jobID.uuidString, "fingerprint": plan.newKey?.fingerprint ?? ""]), on: database)
        }
        let failed = result.outcome.isFailure
        try await services.alerts.observe([Observation(
            resource: try ServerConnectivity.resource(server), tags: Set(JSONList.decode(server.tags)), key: CredentialsAlerts.distributionFailed,
            value: failed ? 1 : 0, detail: failed ? "\(plan.operation.rawValue) on \(server.name): \(result.outcome.rawValue)" : nil, at: now)])
    }

    private static func installed(_ keyID: UUID, on serverID: UUID, at date: Date, database: any Database) async throws {
        let row = try await KeyInstallation.query(on: database).filter(\.$keyID == keyID).filter(\.$serverID == serverID).first()
            ?? KeyInstallation(keyID: keyID, serverID: serverID, verifiedAt: date)
        row.verifiedAt = date
        try await row.save(on: database)
    }
}
