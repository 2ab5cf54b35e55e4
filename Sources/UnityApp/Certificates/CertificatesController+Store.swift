import Fluent
import UnityCertificates
import Vapor

extension CertificatesController {
    static func store(name: String, source: String, leaf: ParsedCertificate, chain: [ParsedCertificate], keyPEM: String?,
                      request: Request) async throws -> CertificateRecord {
        if let existing = try await CertificateRecord.query(on: request.db).filter(\.$fingerprint == leaf.sha256Fingerprint).first() {
            throw APIError.conflict("this certificate is already in the inventory as \(existing.name)")
        }
        let record = CertificateRecord()
        record.name = try ObjectName.valid(name)
        record.source = source
        record.fill(from: leaf, chain: chain)
        record.sealedPrivateKey = try keyPEM.map { try CertificateRecord.keyColumn.seal($0, id: record.sealingID(), in: request.unity.secrets) }
        try await record.create(on: request.db)
        try await request.unity.alerts.observe(CertificateExpiry.observations([record], now: Date()))
        request.audit.targetID = record.id?.uuidString
        request.audit.details["fingerprint"] = leaf.sha256Fingerprint
        return record
    }

    static func created(_ record: CertificateRecord) throws -> Response {
        let response = Response(status: .created)
        try response.content.encode(try CertificateDTO(record))
        return response
    }

    static func find(_ request: Request) async throws -> CertificateRecord {
        let id = try request.uuidParameter(what: "certificate")
        request.audit.targetID = id.uuidString
        guard let record = try await CertificateRecord.find(id, on: request.db) else { throw APIError.notFound("certificate") }
        return record
    }

    static func serverNames(on db: any Database) async throws -> [UUID: String] {
        Dictionary(try await MonitoredServer.query(on: db).all().compactMap { server in server.id.map { ($0, server.name) } }) { first, _ in first }
    }

    /// The CA, created on first use ("create it once"); its key never leaves the SecretBox except here.
    static func internalCA(_ request: Request, createIfMissing: Bool) async throws -> InternalCA {
        if let row = try await CertificateAuthorityRecord.query(on: request.db).first() {
            let key = try CertificateAuthorityRecord.keyColumn.open(row.sealedPrivateKey, id: row.requireID(), in: request.unity.secrets)
            return try InternalCA(rootPEM: row.rootPEM, privateKeyPEM: key)
        }
        guard createIfMissing else { throw APIError.notFound("internal CA") }
        let ca = try InternalCA.create()
        let row = CertificateAuthorityRecord()
        row.name = "Unity Internal CA"
        row.rootPEM = ca.rootPEM
        row.sealedPrivateKey = try CertificateAuthorityRecord.keyColumn.seal(ca.privateKeyPEM, id: row.sealingID(), in: request.unity.secrets)
        try await row.create(on: request.db)
        try await AuditLog.record(.init(actorType: "system", action: "ca.created", targetType: "certificate_authority",
                                        targetID: row.id?.uuidString, outcome: "success", details: ["fingerprint": ca.root.sha256Fingerprint]), on: request.db)
        return ca
    }

    static func authorityDTO(_ row: CertificateAuthorityRecord) throws -> CertificateAuthorityDTO {
        guard let root = try ParsedCertificate.parseAll(pem: row.rootPEM).first else { throw APIError.notFound("internal CA root") }
        return CertificateAuthorityDTO(id: try row.requireID(), name: row.name, subject: root.subject, fingerprint: root.sha256Fingerprint,
                                       notAfter: root.notAfter, rootPem: row.rootPEM)
    }
}
