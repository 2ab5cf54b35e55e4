import Fluent
import UnityAlerts
import UnityCertificates
import UnitySSH
import Vapor

/// Certificates on servers: deploy one (write, reload, prove the service serves it) and discover
/// what servers actually serve on their TLS ports and keep under the usual paths.
enum CertificateFleetController {
    /// Deploys and remembers where (unless `remember` is false), so renewals follow and the daily
    /// check can verify the service keeps serving it.
    static func deploy(_ request: Request) async throws -> DeployResultDTO {
        let record = try await CertificatesController.find(request)
        let body = try request.content.decode(DeployCertificateBody.self)
        guard let server = try await MonitoredServer.find(body.serverId, on: request.db) else { throw APIError.validation("server_id", "no such server") }
        let fresh = try CertificateDeployments.validated(body, certificateID: try record.requireID())
        try await ReloadCommands.authorize(fresh.reloadCommand, role: request.principal().effectiveRole, on: request.db)
        // Deploying again to the same place updates the remembered deployment instead of adding one.
        let deployment = try await CertificateDeploymentRecord.query(on: request.db).filter(\.$certificateID == fresh.certificateID)
            .filter(\.$serverID == fresh.serverID).filter(\.$certificatePath == fresh.certificatePath).first()
        if let deployment {
            deployment.chainPath = fresh.chainPath; deployment.keyPath = fresh.keyPath; deployment.owner = fresh.owner
            deployment.certificateMode = fresh.certificateMode; deployment.keyMode = fresh.keyMode; deployment.reloadCommand = fresh.reloadCommand
            deployment.verifyPort = fresh.verifyPort; deployment.verifyServerName = fresh.verifyServerName
        }
        let outcome = try await CertificateDeployments.run(deployment ?? fresh, certificate: record, server: server, services: request.unity,
                                                           db: request.db, remember: body.remember ?? true)
        request.audit.details["server"] = server.name
        request.audit.details["outcome"] = outcome.name
        return DeployResultDTO(outcome, deploymentID: (deployment ?? fresh).id)
    }

    static func reloadCommands(_ request: Request) async throws -> ReloadCommandsDTO {
        ReloadCommandsDTO(commands: try await ReloadCommands.allowed(on: request.db))
    }

    static func deployments(_ request: Request) async throws -> [CertificateDeploymentDTO] {
        let record = try await CertificatesController.find(request)
        let rows = try await CertificateDeploymentRecord.query(on: request.db).filter(\.$certificateID == record.requireID()).sort(\.$createdAt).all()
        let servers = try await MonitoredServer.query(on: request.db).filter(\.$id ~~ rows.map(\.serverID)).all()
        let names = Dictionary(servers.compactMap { server in server.id.map { ($0, server.name) } }, uniquingKeysWith: { first, _ in first })
        return try rows.map { try CertificateDeploymentDTO($0, serverName: names[$0.serverID]) }
    }

    /// Deploys the current certificate again to a remembered place (after fixing the service).
    static func redeploy(_ request: Request) async throws -> DeployResultDTO {
        let (record, deployment) = try await findDeployment(request)
        guard let server = try await MonitoredServer.find(deployment.serverID, on: request.db) else { throw APIError.notFound("server") }
        let outcome = try await CertificateDeployments.run(deployment, certificate: record, server: server, services: request.unity,
                                                           db: request.db, remember: true)
        request.audit.details["server"] = server.name
        request.audit.details["outcome"] = outcome.name
        return DeployResultDTO(outcome, deploymentID: deployment.id)
    }

    /// Forgets a deployment: renewals stop going there; files on the server stay.
    static func forgetDeployment(_ request: Request) async throws -> HTTPStatus {
        try await findDeployment(request).1.delete(on: request.db)
        return .noContent
    }

    private static func findDeployment(_ request: Request) async throws -> (CertificateRecord, CertificateDeploymentRecord) {
        let record = try await CertificatesController.find(request)
        let id = try request.uuidParameter("deployment", what: "deployment")
        guard let row = try await CertificateDeploymentRecord.find(id, on: request.db), row.certificateID == record.id else {
            throw APIError.notFound("deployment")
        }
        return (record, row)
    }

    static func discover(_ request: Request) async throws -> DiscoveryDTO {
        let server = try await ServersController.find(request)
        let body = (try? request.content.decode(DiscoverBody.self)) ?? DiscoverBody(ports: nil, paths: nil)
        let ports = body.ports ?? [443, 8443, 6443, 9443]
        guard ports.count <= 20, ports.allSatisfy({ (1...65_535).contains($0) }) else { throw APIError.validation("ports", "up to 20 ports, 1 to 65535") }
        var found: [CertificateRecord] = []
        var problems: [String] = []
        for port in ports {
            do {
                let served = try await ServedCertificateProbe().probe(host: server.address, port: port, timeout: .seconds(5))
                if let leaf = served.leaf {
                    found.append(try await inventory(leaf, chain: Array(served.presented.dropFirst()), server: server, location: "tls:\(port)", on: request.db))
                }
            } catch {
                problems.append("tls:\(port): \(error)")
            }
        }
        let script = PEMInventoryScript(directories: body.paths ?? PEMInventoryScript.defaultDirectories)
        do {
            let target = try await ServerTargets.target(for: server, request: request)
            let result = try await request.unity.ssh.run(script.command, on: target, timeout: .seconds(60), maxOutput: 16 << 20)
            let inventory = PEMInventory(output: result.stdoutText, script: script)
            for file in inventory.files {
                guard let leaf = file.certificates.first else { continue }
                found.append(try await self.inventory(leaf, chain: Array(file.certificates.dropFirst()), server: server, location: file.path, on: request.db))
            }
            problems += inventory.missingDirectories.map { "\($0): not present" }
        } catch let error as SSHError {
            problems.append("files: \(error.description)")
        }
        request.audit.details["found"] = String(found.count)
        var unique: [UUID: CertificateRecord] = [:]
        for record in found { if let id = record.id { unique[id] = record } }
        return DiscoveryDTO(found: try unique.values.sorted { $0.notAfter < $1.notAfter }.map { try CertificateDTO($0) }, problems: problems)
    }

    /// Adds a discovered certificate (or finds it by fingerprint) and records where it was seen.
    private static func inventory(_ leaf: ParsedCertificate, chain: [ParsedCertificate], server: MonitoredServer, location: String,
                                  on db: any Database) async throws -> CertificateRecord {
        let record = try await CertificateRecord.query(on: db).filter(\.$fingerprint == leaf.sha256Fingerprint).first() ?? {
            let row = CertificateRecord()
            row.name = String((leaf.dnsNames.first ?? leaf.subject).prefix(100))
            row.source = "discovered"
            row.fill(from: leaf, chain: chain)
            return row
        }()
        if record.id == nil { try await record.create(on: db) }
        try await CertificateSightings.record(record, server: server, location: location, on: db)
        return record
    }
}

extension DeploymentOutcome {
    var name: String {
        switch self {
        case .deployed: "deployed"
        case .renewedButNotServed: "renewed_but_not_served"
        case .reloadFailed: "reload_failed"
        case .writeFailed: "write_failed"
        case .verifyUnreachable: "verify_unreachable"
        }
    }
}

extension DeployResultDTO {
    init(_ outcome: DeploymentOutcome, deploymentID: UUID? = nil) {
        let served: String? = switch outcome {
        case .deployed(let serial), .renewedButNotServed(let serial): serial
        default: nil
        }
        self.init(ok: outcome.succeeded, outcome: outcome.name, servedSerial: served, message: outcome.description, deploymentId: deploymentID)
    }
}
