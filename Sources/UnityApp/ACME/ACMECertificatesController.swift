import Fluent
import UnityACME
import Vapor

/// `/api/v1/acme/certificates` (operators): names Unity keeps issued from an ACME account.
/// Issuing and renewing answer 202 at once and run in the background (see `ACMEJobs`); the
/// order's `attempt` shows the phase and, at the end, the CA's answer.
enum ACMECertificatesController {
    static func list(_ request: Request) async throws -> Page<ACMECertificateDTO> {
        let paging = try PageRequest(request)
        let query = ACMEOrderRecord.query(on: request.db)
        let total = try await query.count()
        let rows = try await query.sort(\.$createdAt).range(paging.offset..<(paging.offset + paging.perPage)).all()
        let attempts = try await ACMEJobs.latest(rows.compactMap(\.id), ownership: request.unity.jobs.ownership, on: request.db)
        return Page(items: try rows.map { try ACMECertificateDTO($0, attempt: $0.id.flatMap { attempts[$0] }) },
                    page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> ACMECertificateDTO {
        let row = try await find(request)
        return try ACMECertificateDTO(row, attempt: try await ACMEJobs.latest([row.requireID()], ownership: request.unity.jobs.ownership, on: request.db).values.first)
    }

    /// Every attempt of an order, newest first.
    static func attempts(_ request: Request) async throws -> Page<ACMEAttemptDTO> {
        let row = try await find(request)
        let paging = try PageRequest(request)
        let query = ACMEAttemptRecord.query(on: request.db).filter(\.$orderID == (try row.requireID()))
        let total = try await query.count()
        let rows = try await query.sort(\.$startedAt, .descending).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try rows.map(ACMEAttemptDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    /// Stores the order and starts issuing it (202). A CA failure ends the attempt as `failed`
    /// with the CA's text and the order as `failed`, to be retried with `renew` once fixed.
    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(ACMECertificateBody.self)
        guard let accountID = body.accountId, try await ACMEAccountRecord.find(accountID, on: request.db) != nil else {
            throw APIError.validation("account_id", "an existing ACME account")
        }
        let names = try validNames(body.names ?? [])
        let row = ACMEOrderRecord()
        row.accountID = accountID
        row.names = JSONList.encode(names)
        row.keyType = body.keyType ?? CertificateKeyType.p256.rawValue
        guard CertificateKeyType(rawValue: row.keyType) != nil else {
            throw APIError.validation("key_type", CertificateKeyType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        row.challenge = body.challenge ?? "http-01"
        switch row.challenge {
        case "http-01":
            if names.contains(where: { $0.hasPrefix("*.") }) { throw APIError.validation("challenge", "wildcard names need dns-01") }
            if let webroot = body.webroot {
                try await ACMEWebroot.validate(webroot, on: request.db)
                row.webrootServerID = webroot.serverId
                row.webrootPath = webroot.path
            } else {
                let port = body.httpPort ?? 80
                guard (1...65_535).contains(port) else { throw APIError.validation("http_port", "1 to 65535") }
                row.httpPort = port
                row.httpHost = body.httpHost
            }
        case "dns-01":
            guard body.webroot == nil else { throw APIError.validation("webroot", "only with http-01") }
            guard let provider = body.dnsProvider else { throw APIError.validation("dns_provider", "is required for dns-01") }
            try ACMESolverFactory.validate(provider, hooks: request.unity.config.dnsHooksDirectory)
            row.dnsProvider = provider.type
            row.dnsSettings = String(decoding: try JSONEncoder().encode(provider.settings ?? [:]), as: UTF8.self)
            if let secrets = provider.secrets, !secrets.isEmpty {
                row.sealedDNSSecrets = try ACMEOrderRecord.dnsSecretsColumn.seal(String(decoding: try JSONEncoder().encode(secrets), as: UTF8.self),
                                                                                   id: row.sealingID(), in: request.unity.secrets)
            }
        default:
            throw APIError.validation("challenge", "http-01 or dns-01")
        }
        row.status = "pending"
        try await row.create(on: request.db)
        request.audit.targetID = row.id?.uuidString
        let attempt = try await ACMEJobs.start(row, trigger: "create", application: request.application, db: request.db)
        return try await accepted(row, attempt: attempt)
    }

    /// Renews now, whatever the policy says (the scheduled task follows the policy); 202, and
    /// 409 while another attempt for it runs.
    static func renew(_ request: Request) async throws -> Response {
        let row = try await find(request)
        guard row.status != "revoked" else { throw APIError.conflict("this certificate was revoked; request a new one") }
        let attempt = try await ACMEJobs.start(row, trigger: "renew", application: request.application, db: request.db)
        return try await accepted(row, attempt: attempt)
    }

    private static func accepted(_ row: ACMEOrderRecord, attempt: ACMEAttemptRecord) async throws -> Response {
        let response = Response(status: .accepted)
        try response.content.encode(try ACMECertificateDTO(row, attempt: attempt))
        return response
    }

    /// Revokes the current certificate with the account that issued it. The inventory entry
    /// stays (it is still deployed somewhere until replaced); the order stops renewing.
    static func revoke(_ request: Request) async throws -> ACMECertificateDTO {
        let row = try await find(request)
        let body = (try? request.content.decode(ACMERevokeBody.self)) ?? ACMERevokeBody(reason: nil)
        guard let reason = ACMERevokeBody.reasons[body.reason ?? "unspecified"] else {
            throw APIError.validation("reason", ACMERevokeBody.reasons.keys.sorted().joined(separator: ", "))
        }
        // A running renewal would store its new certificate and mark the order valid again.
        guard try await ACMEJobs.running(row.requireID(), ownership: request.unity.jobs.ownership, on: request.db) == nil else {
            throw APIError.conflict("an attempt for this certificate is running; revoke when it ends")
        }
        guard let certificateID = row.certificateID, let certificate = try await CertificateRecord.find(certificateID, on: request.db) else {

            throw APIError.conflict("nothing issued yet to revoke")
        }
        guard let account = try await ACMEAccountRecord.find(row.accountID, on: request.db) else { throw APIError.notFound("ACME account") }
        do {
            try await ACMEIssuer.withClient(account, secrets: request.unity.secrets) { client, _ in
                try await client.revoke(certificatePEM: certificate.certificatePEM, reason: reason)
            }
        } catch {
            throw ACMEIssuer.apiError(error)
        }
        row.status = "revoked"
        row.nextRenewalAt = nil
        try await row.save(on: request.db)
        request.audit.details["serial"] = certificate.serial
        return try ACMECertificateDTO(row)
    }

    /// Stops renewing; the issued certificate stays in the inventory.
    static func delete(_ request: Request) async throws -> HTTPStatus {
        let row = try await find(request)
        guard try await ACMEJobs.running(row.requireID(), ownership: request.unity.jobs.ownership, on: request.db) == nil else {
            throw APIError.conflict("an attempt for this certificate is running; delete it when it ends")
        }
        try await ACMEAttemptRecord.query(on: request.db).filter(\.$orderID == row.requireID()).delete()
        try await row.delete(on: request.db)
        return .noContent
    }

    private static func validNames(_ raw: [String]) throws -> [String] {
        var names: [String] = []
        for name in raw.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !names.contains(name) {
            let pattern = #"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"#
            guard name.count <= 253, name.range(of: pattern, options: .regularExpression) != nil else {
                throw APIError.validation("names", "\(name) is not a DNS name")
            }
            names.append(name)
        }
        guard (1...100).contains(names.count) else { throw APIError.validation("names", "1 to 100 names") }
        return names
    }

    private static func find(_ request: Request) async throws -> ACMEOrderRecord {
        let id = try request.uuidParameter(what: "ACME certificate")
        request.audit.targetID = id.uuidString
        guard let row = try await ACMEOrderRecord.find(id, on: request.db) else { throw APIError.notFound("ACME certificate") }
        return row
    }
}
