import AsyncHTTPClient
import Fluent
import Foundation
import UnityACME
import UnityAlerts
import UnityCertificates
import UnityCore
import Vapor

/// One issuance or renewal attempt for an order, shared by the API and the `acme-renewal` task:
/// it records the attempt on the order, stores the certificate in the inventory (source `acme`,
/// key sealed) and observes `acme.renewal_failed` so a failure alerts and a success resolves it.
enum ACMEIssuer {
    /// An `ACMEClient` for the stored account; its HTTP client is shut down on every path.
    static func withClient<T>(_ account: ACMEAccountRecord, secrets: SecretBox,
                              _ body: (ACMEClient, HTTPClient) async throws -> T) async throws -> T {
        let key = try ACMEAccountKey(pem: try ACMEAccountRecord.accountKeyColumn.open(account.sealedAccountKey, id: account.requireID(), in: secrets))
        let http = try ACMEHTTPClientFactory.make(trustRootsPEM: account.trustedRootsPEM)
        let client = ACMEClient(directoryURL: account.directoryURL, accountKey: key, accountURL: account.accountURL, httpClient: http)
        do {
            let value = try await body(client, http)
            try? await http.shutdown()
            return value
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// Runs the order once and records it in `attempt` (phase by phase, then the outcome). On
    /// success the certificate is stored and every remembered deployment of it gets the new one;
    /// on failure the order keeps its old certificate, records the CA's text, and the error is
    /// rethrown for the caller (see `apiError`).
    @discardableResult
    static func attempt(_ order: ACMEOrderRecord, attempt: ACMEAttemptRecord, application: Application, db: any Database) async throws -> CertificateRecord {
        let services = application.unity
        let now = Date()
        order.lastAttemptAt = now
        @Sendable func phase(_ name: String) async {
            attempt.phase = name
            try? await attempt.save(on: db)
        }
        let record: CertificateRecord, current: CertificateRecord?
        do {
            guard let account = try await ACMEAccountRecord.find(order.accountID, on: db) else {
                throw APIError.validation("account_id", "no such ACME account")
            }
            var stored: CertificateRecord?
            if let id = order.certificateID { stored = try await CertificateRecord.find(id, on: db) }
            current = stored
            let issued = try await withClient(account, secrets: services.secrets) { client, http in
                try await issue(order, current: stored, client: client, http: http, services: services, db: db) { await phase($0.rawValue) }
            }
            await phase("storing")
            record = try await store(issued, order: order, current: stored, secrets: services.secrets, db: db)
            order.certificateID = try record.requireID()
            order.status = "valid"
            order.lastError = nil
            order.nextRenewalAt = RenewalPolicy.renewalDate(notBefore: issued.info.notBefore, notAfter: issued.info.notAfter)
            try await order.save(on: db)
        } catch {
            // The attempt's outcome is recorded first: whatever fails after it, the attempt ends.
            order.lastError = describe(error)
            if order.certificateID == nil { order.status = "failed" }
            // Cancelled by shutdown: the CA did not refuse anything, the attempt was cut short.
            let cancelled = Task.isCancelled
            try? await finish(attempt, outcome: cancelled ? .interrupted : .failed, serial: nil,
                              error: cancelled ? BackgroundJobs.shutdownReason : order.lastError, services: services, db: db)
            try await order.save(on: db)
            try await services.alerts.observe([observation(order, value: 1, detail: order.lastError, at: now)])
            throw error
        }
        // Issued and stored: what follows can fail without making the issuance a failure.
        do {
            try await services.alerts.observe([observation(order, value: 0, detail: nil, at: now)])
            try await services.alerts.observe(CertificateExpiry.observations([record], now: now))
        } catch {
            application.logger.warning("ACME order \(order.id?.uuidString ?? ""): issued, but its alerts could not be updated: \(error)")
        }
        if current != nil {
            await phase("deploying")
            let (deployed, failed) = await CertificateDeployments.redeployAll(record, services: services, db: db)
            if deployed + failed > 0 { attempt.deployments = "\(deployed) deployed, \(failed) failed" }
        }
        try await finish(attempt, outcome: .succeeded, serial: record.serial, error: nil, services: services, db: db)
        return record
    }

    private static func finish(_ attempt: ACMEAttemptRecord, outcome: ACMEAttemptRecord.Outcome, serial: String?, error: String?,
                               services: UnityServices, db: any Database) async throws {
        attempt.outcome = outcome.rawValue
        attempt.phase = "done"
        attempt.finishedAt = Date()
        attempt.serial = serial
        attempt.error = error
        try await attempt.save(on: db)
        services.metrics.recordACMEAttempt(trigger: attempt.trigger, outcome: outcome.rawValue)
        // History is bounded here, where it grows, rather than by another scheduled task.
        try? await ACMEJobs.prune(attempt.orderID, on: db)
    }

    private static func issue(_ order: ACMEOrderRecord, current: CertificateRecord?, client: ACMEClient, http: HTTPClient, services: UnityServices,
                              db: any Database, progress: @escaping @Sendable (IssuancePhase) async -> Void) async throws -> UnityACME.IssuedCertificate {
        let secrets = services.secrets
        let webroot = try await ACMEWebroot.solver(for: order, services: services, db: db)
        var request = CertificateOrderRequest(names: JSONList.decode(order.names),
                                              keyType: CertificateKeyType(rawValue: order.keyType) ?? .p256)
        // `replaces` only where the CA speaks ARI: others may reject the unknown field.
        if let current, try await client.directory().renewalInfo != nil {
            request.replaces = try? RenewalInfo.certificateID(pem: current.certificatePEM)
        }
        let orderRequest = request
        // Unity's own listener holds its port for the attempt; a webroot needs no port here.
        let port = order.challenge == "http-01" && webroot == nil ? order.httpPort ?? 80 : nil
        return try await HTTP01PortGate.shared.exclusive(port) {
            let solvers: [any ChallengeSolver], server: HTTP01Server?
            if let webroot { (solvers, server) = ([webroot], nil) } else {
                (solvers, server) = try await ACMESolverFactory.solvers(for: order, secrets: secrets, hooks: services.config.dnsHooksDirectory, httpClient: http)
            }
            do {
                let issued = try await client.issueCertificate(orderRequest, solvers: solvers, progress: progress)
                await server?.stop()
                return issued
            } catch {
                await server?.stop()
                throw error
            }
        }
    }

    /// A renewal replaces the certificate in place, so the inventory entry (and what refers to it)
    /// stays the same; a first issuance adds a new entry.
    private static func store(_ issued: UnityACME.IssuedCertificate, order: ACMEOrderRecord, current: CertificateRecord?,
                              secrets: SecretBox, db: any Database) async throws -> CertificateRecord {
        let bundle = try CertificateBundle(certificatePEM: issued.chainPEM, privateKeyPEM: issued.privateKeyPEM)
        let record = current ?? CertificateRecord()
        if current == nil {
            record.name = try ObjectName.valid(JSONList.decode(order.names).first ?? "acme certificate")
        }
        record.source = "acme"
        record.fill(from: bundle.leaf, chain: bundle.chain)
        record.sealedPrivateKey = try CertificateRecord.keyColumn.seal(issued.privateKeyPEM, id: record.sealingID(), in: secrets)
        try await record.save(on: db)
        return record
    }

    static func observation(_ order: ACMEOrderRecord, value: Double, detail: String?, at: Date) -> Observation {
        let names = JSONList.decode(order.names)
        return Observation(resource: ResourceRef(type: "certificate", id: order.id?.uuidString ?? "", name: names.joined(separator: ", ")),
                           key: CredentialsAlerts.renewalFailed, value: value,
                           detail: detail.map { "ACME renewal of \(names.joined(separator: ", ")) failed: \($0)" }, at: at)
    }

    /// The CA's own words where there are any: problem type, detail and subproblems.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let problem as ACMEProblem: problem.description
        case let acme as ACMEError: acme.description
        case let api as APIError: api.message
        case let dns as DNSProviderError: dns.description
        default: String(describing: error)
        }
    }

    /// CA problems and unreachable CAs are 502 (the upstream failed); requests the CA cannot
    /// satisfy with our configuration are 422.
    static func apiError(_ error: any Error) -> any Error {
        switch error {
        case is APIError: return error
        case let acme as ACMEError:
            if case .unsupportedChallenge = acme {
                return APIError.validation("challenge", acme.description)
            }
            return APIError(status: .badGateway, code: "acme_error", message: acme.description)
        case let problem as ACMEProblem:
            return APIError(status: .badGateway, code: "acme_problem", message: "the CA refused: \(problem.description)")
        default:
            return APIError(status: .badGateway, code: "acme_error", message: describe(error))
        }
    }
}
