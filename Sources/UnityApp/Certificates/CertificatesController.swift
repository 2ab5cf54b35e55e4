import Fluent
import UnityCertificates
import Vapor

/// `/api/v1/certificates`: the inventory (import, issue from the internal CA or self-signed,
/// list by expiry, reveal a key) and `/api/v1/ca`, Unity's own CA.
enum CertificatesController {
    static let queryParameters: [QueryParameter] = QueryParameter.paging + [
        .init(name: "state", kind: .string, description: "valid, expiring (30 days or less) or expired"),
        .init(name: "issuer", kind: .string, description: "issuer text contains this"),
    ]

    static func list(_ request: Request) async throws -> Page<CertificateDTO> {
        let paging = try PageRequest(request)
        let query = CertificateRecord.query(on: request.db)
        let now = Date()
        switch request.query[String.self, at: "state"] {
        case nil: break
        case "expired": query.filter(\.$notAfter <= now)
        case "expiring": query.filter(\.$notAfter > now).filter(\.$notAfter <= now.addingTimeInterval(30 * 86_400))
        case "valid": query.filter(\.$notAfter > now.addingTimeInterval(30 * 86_400))
        default: throw APIError.validation("state", "expected valid, expiring or expired")
        }
        if let issuer = request.query[String.self, at: "issuer"] { query.filter(\.$issuer ~~ issuer) }
        let total = try await query.count()
        let rows = try await query.sort(\.$notAfter).range(paging.offset..<(paging.offset + paging.perPage)).all()
        let sightings = try await CertificateSighting.query(on: request.db).filter(\.$certificateID ~~ rows.compactMap(\.id)).all()
        let names = try await serverNames(on: request.db)
        return Page(items: try rows.map { row in
            try CertificateDTO(row, sightings: sightings.filter { $0.certificateID == row.id }.map { "\(names[$0.serverID] ?? "?") \($0.location)" }, now: now)
        }, page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> CertificateDTO {
        let record = try await find(request)
        let sightings = try await CertificateSighting.query(on: request.db).filter(\.$certificateID == record.requireID()).all()
        let names = try await serverNames(on: request.db)
        return try CertificateDTO(record, sightings: sightings.map { "\(names[$0.serverID] ?? "?") \($0.location)" })
    }

    static func importCertificate(_ request: Request) async throws -> Response {
        let body = try request.content.decode(ImportCertificateBody.self)
        let bundle: CertificateBundle
        do {
            bundle = try CertificateBundle(certificatePEM: body.certificatePem, chainPEM: body.chainPem, privateKeyPEM: body.privateKeyPem)
        } catch {
            let field = error == .keyMismatch || error == .noPrivateKey || "\(error)".contains("key") ? "private_key_pem" : "certificate_pem"
            throw APIError.validation(field, error.description)
        }
        let record = try await store(name: body.name ?? bundle.leaf.dnsNames.first ?? bundle.leaf.subject, source: "imported",
                                     leaf: bundle.leaf, chain: bundle.chain, keyPEM: bundle.privateKey?.pem, request: request)
        return try created(record)
    }

    static func issue(_ request: Request) async throws -> Response {
        let body = try request.content.decode(IssueCertificateBody.self)
        guard !body.dnsNames.isEmpty || !(body.ipAddresses ?? []).isEmpty else { throw APIError.validation("dns_names", "name at least one DNS name or IP address") }
        let validity = body.validityDays ?? 90
        guard (1...3_650).contains(validity) else { throw APIError.validation("validity_days", "expected 1 to 3650") }
        guard let algorithm = LeafKeyAlgorithm(rawValue: body.keyAlgorithm ?? LeafKeyAlgorithm.p256.rawValue) else {
            throw APIError.validation("key_algorithm", "expected one of \(LeafKeyAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let leafRequest = LeafRequest(dnsNames: body.dnsNames, ipAddresses: body.ipAddresses ?? [], validityDays: validity, keyAlgorithm: algorithm)
        let issued: IssuedCertificate
        let source: String
        do {
            switch body.issuer ?? "internal_ca" {
            case "internal_ca":
                issued = try await internalCA(request, createIfMissing: true).issue(leafRequest)
                source = "internal_ca"
            case "self_signed":
                issued = try InternalCA.selfSigned(leafRequest)
                source = "self_signed"
            default: throw APIError.validation("issuer", "expected internal_ca or self_signed")
            }
        } catch let error as CertificateError {
            throw APIError.validation("dns_names", error.description)
        }
        let record = try await store(name: body.name ?? body.dnsNames.first ?? body.ipAddresses?.first ?? "certificate", source: source,
                                     leaf: issued.certificate, chain: issued.chain, keyPEM: issued.privateKeyPEM, request: request)
        return try created(record)
    }

    static func revealKey(_ request: Request) async throws -> RevealedCertificateKey {
        let record = try await find(request)
        guard let sealed = record.sealedPrivateKey else { throw APIError.notFound("private key (Unity does not hold this certificate's key)") }
        return RevealedCertificateKey(id: try record.requireID(), privateKeyPem: try CertificateRecord.keyColumn.open(sealed, id: record.requireID(), in: request.unity.secrets))
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let record = try await find(request)
        try await CertificateSighting.query(on: request.db).filter(\.$certificateID == record.requireID()).delete()
        try await record.delete(on: request.db)
        return .noContent
    }

    // MARK: Internal CA

    static func authority(_ request: Request) async throws -> CertificateAuthorityDTO {
        guard let row = try await CertificateAuthorityRecord.query(on: request.db).first() else { throw APIError.notFound("internal CA (create it with POST /api/v1/ca)") }
        return try authorityDTO(row)
    }

    static func createAuthority(_ request: Request) async throws -> Response {
        guard try await CertificateAuthorityRecord.query(on: request.db).first() == nil else { throw APIError.conflict("the internal CA exists already") }
        _ = try await internalCA(request, createIfMissing: true)
        let response = Response(status: .created)
        try response.content.encode(try await authority(request))
        return response
    }

    static func rootPEM(_ request: Request) async throws -> Response {
        guard let row = try await CertificateAuthorityRecord.query(on: request.db).first() else { throw APIError.notFound("internal CA") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/x-pem-file")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"unity-root-ca.pem\"")
        return Response(status: .ok, headers: headers, body: .init(string: row.rootPEM))
    }
}
