import Fluent
import UnityAlerts
import UnityCertificates
import UnitySSH
import Vapor

/// Certificates on servers: deploy one (write, reload, prove the service serves it) and discover
/// what servers actually serve on their TLS ports and keep under the usual paths.
enum CertificateFleetController {
    static func deploy(_ request: Request) async throws -> DeployResultDTO {
        let record = try await CertificatesController.find(request)
        let body = try request.content.decode(DeployCertificateBody.self)
        guard let sealed = record.sealedPrivateKey else { throw APIError.conflict("Unity does not hold this certificate's private key; import it with the key to deploy") }
        guard let server = try await MonitoredServer.find(body.serverId, on: request.db) else { throw APIError.validation("server_id", "no such server") }
        for (field, path) in [("certificate_path", body.certificatePath), ("key_path", body.keyPath), ("chain_path", body.chainPath ?? "/x")] {
            guard path.hasPrefix("/"), !path.contains("\n"), path.count <= 500 else { throw APIError.validation(field, "an absolute path") }
        }
        for (field, mode) in [("certificate_mode", body.certificateMode), ("key_mode", body.keyMode)] {
            if let mode, mode.range(of: #"^0?[0-7]{3}$"#, options: .regularExpression) == nil { throw APIError.validation(field, "an octal mode like 0640") }
        }
        let reload = body.reloadCommand.trimmingCharacters(in: .whitespaces)
        guard !reload.isEmpty, reload.count <= 1_000, !reload.contains("\n") else { throw APIError.validation("reload_command", "one shell command line, e.g. systemctl reload nginx") }
        let port = body.verifyPort ?? 443
        guard (1...65_535).contains(port) else { throw APIError.validation("verify_port", "1 to 65535") }

        let bundle: CertificateBundle
        do {
            let key = try request.unity.secrets.openString(sealed, purpose: CertificateRecord.keyPurpose)
            bundle = try CertificateBundle(certificatePEM: record.certificatePEM, chainPEM: record.chainPEM.isEmpty ? nil : record.chainPEM, privateKeyPEM: key)
        } catch let error as CertificateError {
            throw APIError.conflict("the stored certificate cannot be deployed: \(error.description)")
        }
        let plan = DeploymentPlan(certificatePath: body.certificatePath, chainPath: body.chainPath, keyPath: body.keyPath, owner: body.owner,
                                  certificateMode: body.certificateMode ?? "0644", keyMode: body.keyMode ?? "0600",
                                  reload: RemoteCommand(argv: ["sh", "-c", reload], privileged: server.useSudo),
                                  verifyHost: server.address, verifyPort: port, verifyServerName: body.verifyServerName ?? bundle.leaf.dnsNames.first)
        let target = try await ServerTargets.target(for: server, request: request)
        let outcome = await CertificateDeployer(executor: request.unity.ssh).deploy(try DeployableCertificate(bundle), plan: plan, to: target)
        request.audit.details["server"] = server.name
        request.audit.details["outcome"] = outcome.name
        if outcome.succeeded {
            try await sighted(record, server: server, location: "tls:\(port)", on: request.db)
            try await sighted(record, server: server, location: body.certificatePath, on: request.db)
        }
        // "Renewed but not served" is a failure people must hear about.
        let resource = ResourceRef(type: "certificate", id: try record.requireID().uuidString, name: "\(record.name) on \(server.name)", serverID: server.id?.uuidString)
        try await request.unity.alerts.observe([Observation(resource: resource, key: CredentialsAlerts.notServed, value: outcome.succeeded ? 0 : 1,
                                                            detail: outcome.succeeded ? nil : "\(record.name) on \(server.name): \(outcome.description)", at: Date())])
        return DeployResultDTO(outcome)
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
        try await sighted(record, server: server, location: location, on: db)
        return record
    }

    private static func sighted(_ record: CertificateRecord, server: MonitoredServer, location: String, on db: any Database) async throws {
        let certificateID = try record.requireID(), serverID = try server.requireID()
        let row = try await CertificateSighting.query(on: db).filter(\.$certificateID == certificateID).filter(\.$serverID == serverID)
            .filter(\.$location == location).first() ?? CertificateSighting()
        row.certificateID = certificateID
        row.serverID = serverID
        row.location = location
        row.seenAt = Date()
        try await row.save(on: db)
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
    init(_ outcome: DeploymentOutcome) {
        let served: String? = switch outcome {
        case .deployed(let serial), .renewedButNotServed(let serial): serial
        default: nil
        }
        self.init(ok: outcome.succeeded, outcome: outcome.name, servedSerial: served, message: outcome.description)
    }
}
