import Fluent
import UnityACME
import Vapor

/// `/api/v1/acme/accounts` (admins): accounts at Let's Encrypt, ZeroSSL or a private CA.
/// Creating one registers it with the CA right away, so a wrong directory URL, a refused EAB or
/// an untrusted certificate shows up here and not at the first issuance.
enum ACMEAccountsController {
    static func list(_ request: Request) async throws -> Page<ACMEAccountDTO> {
        let paging = try PageRequest(request)
        let query = ACMEAccountRecord.query(on: request.db)
        let total = try await query.count()
        let rows = try await query.sort(\.$name).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try rows.map(ACMEAccountDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> ACMEAccountDTO { try ACMEAccountDTO(try await find(request)) }

    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(ACMEAccountBody.self)
        let row = ACMEAccountRecord()
        row.name = try ObjectName.valid(body.name ?? "")
        if try await ACMEAccountRecord.query(on: request.db).filter(\.$name == row.name).first() != nil {
            throw APIError.conflict("an ACME account named \(row.name) already exists")
        }
        row.preset = body.preset ?? "letsencrypt"
        if let stepCAID = body.stepCaId {
            // A configured step-ca's ACME provisioner: its directory, trusting its pinned root.
            guard let authority = try await StepCAAuthorityRecord.find(stepCAID, on: request.db),
                  let url = StepCAAuthoritiesController.acmeDirectoryURL(authority) else {
                throw APIError.validation("step_ca_id", "a step-ca with an acme_provisioner")
            }
            row.preset = "custom"
            row.directoryURL = url
            row.trustedRootsPEM = authority.rootPEM
        } else if row.preset == "custom" {
            guard let url = body.directoryUrl, let parsed = URL(string: url), parsed.scheme == "https" else {
                throw APIError.validation("directory_url", "an https:// ACME directory URL is required for a custom CA")
            }
            row.directoryURL = url
        } else {
            guard let url = ACMEAccountBody.presets[row.preset] else {
                throw APIError.validation("preset", "one of \(ACMEAccountBody.presets.keys.sorted().joined(separator: ", ")), custom")
            }
            row.directoryURL = url
        }
        guard body.termsOfServiceAgreed == true else {
            throw APIError.validation("terms_of_service_agreed", "the CA's terms of service must be agreed to")
        }
        if let email = body.email, !email.isEmpty {
            guard email.contains("@"), !email.contains(where: \.isWhitespace) else { throw APIError.validation("email", "an e-mail address") }
            row.email = email
        }
        var eab: ExternalAccountBinding?
        if let kid = body.eabKid, !kid.isEmpty {
            guard let hmac = body.eabHmacKey, !hmac.isEmpty else { throw APIError.validation("eab_hmac_key", "is required with eab_kid") }
            do { eab = try ExternalAccountBinding(keyID: kid, macKey: hmac) } catch {
                throw APIError.validation("eab_hmac_key", "base64url as the CA shows it")
            }
            row.eabKeyID = kid
            row.sealedEABHMAC = try ACMEAccountRecord.eabColumn.seal(hmac, id: row.sealingID(), in: request.unity.secrets)
        }
        if body.stepCaId == nil, let roots = body.trustedRootsPem, !roots.isEmpty {
            guard roots.contains("BEGIN CERTIFICATE") else { throw APIError.validation("trusted_roots_pem", "PEM certificates") }
            row.trustedRootsPEM = roots
        }
        let key = ACMEAccountKey.generateP256()
        row.sealedAccountKey = try ACMEAccountRecord.accountKeyColumn.seal(key.pemRepresentation, id: row.sealingID(), in: request.unity.secrets)
        row.status = "pending"
        do {
            let account = try await ACMEIssuer.withClient(row, secrets: request.unity.secrets) { client, _ in
                try await client.register(contact: row.email.map { ["mailto:\($0)"] } ?? [], termsOfServiceAgreed: true,
                                          externalAccountBinding: eab)
            }
            row.accountURL = account.url
            row.status = account.status
        } catch {
            throw ACMEIssuer.apiError(error)
        }
        try await row.create(on: request.db)
        request.audit.targetID = row.id?.uuidString
        let response = Response(status: .created)
        try response.content.encode(try ACMEAccountDTO(row))
        return response
    }

    /// Removes Unity's copy only: the account stays at the CA (deactivation is irreversible, and
    /// the same key may be registered elsewhere).
    static func delete(_ request: Request) async throws -> HTTPStatus {
        let row = try await find(request)
        let users = try await ACMEOrderRecord.query(on: request.db).filter(\.$accountID == row.requireID()).count()
        guard users == 0 else { throw APIError.conflict("\(row.name) is used by \(users) ACME certificates; remove them first") }
        try await row.delete(on: request.db)
        return .noContent
    }

    private static func find(_ request: Request) async throws -> ACMEAccountRecord {
        let id = try request.uuidParameter(what: "ACME account")
        request.audit.targetID = id.uuidString
        guard let row = try await ACMEAccountRecord.find(id, on: request.db) else { throw APIError.notFound("ACME account") }
        return row
    }
}
