import Fluent
import UnityACME
import Vapor

/// `/api/v1/step-ca/authorities`: step-ca instances Unity signs through. Creating one bootstraps
/// trust the way `step ca bootstrap` does (fetch the root by fingerprint, check it), so a wrong
/// fingerprint or an unreachable CA shows up here and not at the first issuance.
enum StepCAAuthoritiesController {
    static func list(_ request: Request) async throws -> Page<StepCAAuthorityDTO> {
        let paging = try PageRequest(request)
        let query = StepCAAuthorityRecord.query(on: request.db)
        let total = try await query.count()
        let rows = try await query.sort(\.$name).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try rows.map(StepCAAuthorityDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> StepCAAuthorityDTO { try StepCAAuthorityDTO(try await find(request)) }

    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(StepCAAuthorityBody.self)
        let row = StepCAAuthorityRecord()
        row.name = try ObjectName.valid(body.name ?? "")
        if try await StepCAAuthorityRecord.query(on: request.db).filter(\.$name == row.name).first() != nil {
            throw APIError.conflict("a step-ca named \(row.name) already exists")
        }
        row.url = try validURL(body.url)
        row.rootFingerprint = try validFingerprint(body.rootFingerprint)
        row.provisionerName = try validToken(body.provisionerName, field: "provisioner_name", allowing: "@.-_+")
        row.provisionerKind = "jwk"
        if let acme = body.acmeProvisioner, !acme.isEmpty {
            row.acmeProvisioner = try validToken(acme, field: "acme_provisioner", allowing: "@.-_+")
        }
        let material = try StepCAProvisioner.sealedMaterial(body)
        do {
            row.rootPEM = try await StepCARoot.fetch(baseURL: row.url, fingerprint: row.rootFingerprint)
        } catch let failure as StepCARoot.Failure {
            switch failure {
            case .fingerprintMismatch, .rejected(status: 404, _):
                throw APIError.validation("root_fingerprint", "\(failure)")
            case .unreachable:
                throw APIError(status: .badGateway, code: "step_ca_unreachable", message: failure.description)
            case .rejected, .malformed:
                throw APIError(status: .badGateway, code: "step_ca_error", message: failure.description)
            }
        }
        row.sealedProvisionerKey = try StepCAAuthorityRecord.keyColumn.seal(material.key, id: row.sealingID(), in: request.unity.secrets)
        row.sealedProvisionerPassword = try material.password.map {
            try StepCAAuthorityRecord.passwordColumn.seal($0, id: row.sealingID(), in: request.unity.secrets)
        }
        try await row.create(on: request.db)
        request.audit.targetID = row.id?.uuidString
        request.audit.details["root_fingerprint"] = row.rootFingerprint
        let response = Response(status: .created)
        try response.content.encode(try StepCAAuthorityDTO(row))
        return response
    }

    /// Forgets the CA. Certificates signed through it stay in the inventory and in the SSH
    /// certificate list: they remain valid until they expire.
    static func delete(_ request: Request) async throws -> HTTPStatus {
        try await find(request).delete(on: request.db)
        return .noContent
    }

    /// The directory URL and root for `POST /api/v1/acme/accounts` (or pass `step_ca_id` there).
    static func acmeDirectory(_ request: Request) async throws -> StepCAACMEDirectoryDTO {
        let row = try await find(request)
        guard let url = acmeDirectoryURL(row) else { throw APIError.notFound("ACME provisioner of \(row.name)") }
        return StepCAACMEDirectoryDTO(directoryUrl: url, trustedRootsPem: row.rootPEM)
    }

    static func acmeDirectoryURL(_ row: StepCAAuthorityRecord) -> String? {
        row.acmeProvisioner.map { "\(row.url)/acme/\($0)/directory" }
    }

    static func find(_ request: Request) async throws -> StepCAAuthorityRecord {
        let id = try request.uuidParameter(what: "step-ca")
        request.audit.targetID = id.uuidString
        guard let row = try await StepCAAuthorityRecord.find(id, on: request.db) else { throw APIError.notFound("step-ca") }
        return row
    }

    private static func validURL(_ raw: String?) throws -> String {
        var url = (raw ?? "").trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        guard let parsed = URL(string: url), parsed.scheme == "https", parsed.host?.isEmpty == false,
              parsed.query == nil, parsed.fragment == nil else {
            throw APIError.validation("url", "the CA's https:// URL, e.g. https://ca.home.arpa:9000")
        }
        return url
    }

    /// `step certificate fingerprint root_ca.crt` prints lowercase hex; colons and case are forgiven.
    private static func validFingerprint(_ raw: String?) throws -> String {
        let hex = (raw ?? "").lowercased().replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespaces)
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
            throw APIError.validation("root_fingerprint", "64 hex digits: the SHA-256 of the root certificate")
        }
        return hex
    }

    /// Provisioner names end up in URLs and tokens: letters, digits and a few separators.
    private static func validToken(_ raw: String?, field: String, allowing extra: String) throws -> String {
        let value = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard (1...128).contains(value.count),
              value.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || extra.unicodeScalars.contains($0)) })
        else { throw APIError.validation(field, "1 to 128 letters, digits or \(extra.map(String.init).joined(separator: " "))") }
        return value
    }
}
