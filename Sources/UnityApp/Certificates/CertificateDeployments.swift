import Fluent
import Foundation
import UnityAlerts
import UnityCertificates
import UnitySSH

/// Deploying a certificate where a remembered deployment says: write, reload, prove the service
/// serves it. Shared by the deploy API, the redeploy that follows every ACME renewal, and the
/// per-deployment "run again" action.
enum CertificateDeployments {
    /// Builds a deployment row from a request body, validating every field by name.
    static func validated(_ body: DeployCertificateBody, certificateID: UUID) throws -> CertificateDeploymentRecord {
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
        if let owner = body.owner, owner.range(of: #"^[A-Za-z0-9_.-]{1,32}(:[A-Za-z0-9_.-]{1,32})?$"#, options: .regularExpression) == nil {
            throw APIError.validation("owner", "user or user:group")
        }
        let row = CertificateDeploymentRecord()
        row.certificateID = certificateID
        row.serverID = body.serverId
        row.certificatePath = body.certificatePath
        row.chainPath = body.chainPath
        row.keyPath = body.keyPath
        row.owner = body.owner
        row.certificateMode = body.certificateMode ?? "0644"
        row.keyMode = body.keyMode ?? "0600"
        row.reloadCommand = reload
        row.verifyPort = port
        row.verifyServerName = body.verifyServerName
        return row
    }

    /// Runs one deployment and records its outcome on the row (saved only if it already exists
    /// or `remember` is set), as a sighting, as a counter, and as the "not served" observation.
    static func run(_ deployment: CertificateDeploymentRecord, certificate: CertificateRecord, server: MonitoredServer,
                    services: UnityServices, db: any Database, remember: Bool) async throws -> DeploymentOutcome {
        guard let sealed = certificate.sealedPrivateKey else {
            throw APIError.conflict("Unity does not hold this certificate's private key; import it with the key to deploy")
        }
        let bundle: CertificateBundle
        do {
            let key = try CertificateRecord.keyColumn.open(sealed, id: certificate.requireID(), in: services.secrets)
            bundle = try CertificateBundle(certificatePEM: certificate.certificatePEM,
                                           chainPEM: certificate.chainPEM.isEmpty ? nil : certificate.chainPEM, privateKeyPEM: key)
        } catch let error as CertificateError {
            throw APIError.conflict("the stored certificate cannot be deployed: \(error.description)")
        }
        let plan = DeploymentPlan(certificatePath: deployment.certificatePath, chainPath: deployment.chainPath, keyPath: deployment.keyPath,
                                  owner: deployment.owner, certificateMode: deployment.certificateMode, keyMode: deployment.keyMode,
                                  reload: RemoteCommand(argv: ["sh", "-c", deployment.reloadCommand], privileged: server.useSudo),
                                  verifyHost: server.address, verifyPort: deployment.verifyPort,
                                  verifyServerName: deployment.verifyServerName ?? bundle.leaf.dnsNames.first)
        let target = try await ServerTargets.target(for: server, database: db, secrets: services.secrets)
        let outcome = await CertificateDeployer(executor: services.ssh).deploy(try DeployableCertificate(bundle), plan: plan, to: target)
        let now = Date()
        deployment.lastOutcome = outcome.name
        deployment.lastMessage = outcome.description
        deployment.deployedAt = now
        if case .deployed(let serial) = outcome { deployment.servedSerial = serial; deployment.verifiedAt = now; deployment.verification = "serving" }
        if case .renewedButNotServed(let serial) = outcome { deployment.servedSerial = serial; deployment.verifiedAt = now; deployment.verification = "not_serving" }
        if remember || deployment.id != nil {
            do { try await deployment.save(on: db) } catch {
                // The same place was remembered by a concurrent deploy a moment ago: a conflict,
                // not a server error. Anything else is rethrown as it is.
                let twin = try await CertificateDeploymentRecord.query(on: db).filter(\.$certificateID == deployment.certificateID)
                    .filter(\.$serverID == deployment.serverID).filter(\.$certificatePath == deployment.certificatePath).first()
                guard !deployment.$id.exists, twin != nil else { throw error }
                throw APIError.conflict("this deployment was just saved by another request; reload and try again")
            }
        }
        if outcome.succeeded {
            try await CertificateSightings.record(certificate, server: server, location: "tls:\(deployment.verifyPort)", on: db)
            try await CertificateSightings.record(certificate, server: server, location: deployment.certificatePath, on: db)
        }
        services.metrics.recordCertificateDeployment(outcome: outcome.name)
        var observations = [notServed(certificate, server: server, served: outcome.succeeded, detail: outcome.description, at: now)]
        if outcome.succeeded, let id = certificate.id {
            // Alerts raised before deployments were remembered are keyed by the certificate alone;
            // a successful deploy resolves those too.
            observations.append(Observation(resource: ResourceRef(type: "certificate", id: id.uuidString, name: certificate.name),
                                            key: CredentialsAlerts.notServed, value: 0, detail: nil, at: now))
        }
        try await services.alerts.observe(observations)
        return outcome
    }

    /// Servers redeployed at the same time; a renewal of a certificate served in many places
    /// should not take a reload-and-verify round per server in a row.
    static let concurrentServers = 4

    /// After a renewal: every remembered deployment gets the new certificate. Failures are
    /// recorded on each deployment and alert through "not served"; the renewal itself stands.
    /// Servers run side by side (at most `concurrentServers`), a server's own deployments one
    /// after another: two reloads of the same service at once could leave it serving either file.
    static func redeployAll(_ certificate: CertificateRecord, services: UnityServices, db: any Database) async -> (deployed: Int, failed: Int) {
        guard let id = certificate.id, let rows = try? await CertificateDeploymentRecord.query(on: db).filter(\.$certificateID == id).all() else {
            return (0, 0)
        }
        var perServer = Array(Dictionary(grouping: rows, by: \.serverID).values).makeIterator()
        return await withTaskGroup(of: (deployed: Int, failed: Int).self) { group in
            func startNext() -> Bool {
                guard let deployments = perServer.next() else { return false }
                group.addTask { await redeploy(deployments, certificate: certificate, services: services, db: db) }
                return true
            }
            for _ in 0..<concurrentServers {
                guard startNext() else { break }
            }
            var total = (deployed: 0, failed: 0)
            while let result = await group.next() {
                total.deployed += result.deployed
                total.failed += result.failed
                _ = startNext()
            }
            return total
        }
    }

    private static func redeploy(_ deployments: [CertificateDeploymentRecord], certificate: CertificateRecord,
                                 services: UnityServices, db: any Database) async -> (deployed: Int, failed: Int) {
        var deployed = 0, failed = 0
        for row in deployments {
            guard let server = try? await MonitoredServer.find(row.serverID, on: db),
                  let outcome = try? await run(row, certificate: certificate, server: server, services: services, db: db, remember: true),
                  outcome.succeeded else {
                failed += 1
                continue
            }
            deployed += 1
        }
        return (deployed, failed)
    }

    static func notServed(_ certificate: CertificateRecord, server: MonitoredServer, served: Bool, detail: String, at: Date) -> Observation {
        // One alert per certificate *and* server: the same certificate may be served well on one
        // host and stale on another.
        let id = "\(certificate.id?.uuidString ?? "")@\(server.id?.uuidString ?? "")"
        let resource = ResourceRef(type: "certificate", id: id, name: "\(certificate.name) on \(server.name)",
                                   serverID: server.id?.uuidString)
        return Observation(resource: resource, key: CredentialsAlerts.notServed, value: served ? 0 : 1,
                           detail: served ? nil : "\(certificate.name) on \(server.name): \(detail)", at: at)
    }
}

enum CertificateSightings {
    static func record(_ certificate: CertificateRecord, server: MonitoredServer, location: String, on db: any Database) async throws {
        let certificateID = try certificate.requireID(), serverID = try server.requireID()
        let row = try await CertificateSighting.query(on: db).filter(\.$certificateID == certificateID).filter(\.$serverID == serverID)
            .filter(\.$location == location).first() ?? CertificateSighting()
        row.certificateID = certificateID
        row.serverID = serverID
        row.location = location
        row.seenAt = Date()
        try await row.save(on: db)
    }
}
