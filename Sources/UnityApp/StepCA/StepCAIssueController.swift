import Fluent
import Foundation
import UnityACME
import UnityCertificates
import UnityCredentials
import UnitySSH
import Vapor

/// Signing through a step-ca's JWK provisioner: X.509 via `/1.0/sign` (Unity makes the key and
/// CSR, the certificate lands in the inventory as source `step_ca`) and SSH user/host
/// certificates via `/1.0/ssh/sign` (kept in `ssh_certificates`).
enum StepCAIssueController {
    static func x509(_ request: Request) async throws -> Response {
        let authority = try await StepCAAuthoritiesController.find(request)
        let body = try request.content.decode(StepCAX509Body.self)
        let identifiers = try validIdentifiers(body.names ?? [])
        if let notAfter = body.notAfter, notAfter <= Date() { throw APIError.validation("not_after", "must be in the future") }
        let name = try ObjectName.valid(body.name ?? identifiers[0].value)
        let key = try CertificateKey(generating: .p256)
        let csrPEM = "-----BEGIN CERTIFICATE REQUEST-----\n"
            + Data(try key.csrDER(identifiers: identifiers)).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END CERTIFICATE REQUEST-----\n"
        let signed = try await StepCAProvisioner.withClient(authority, secrets: request.unity.secrets) { client in
            try await client.sign(csrPEM: csrPEM, subject: identifiers[0].value, sans: identifiers.map(\.value), notAfter: body.notAfter)
        }
        let bundle: CertificateBundle
        do {
            bundle = try CertificateBundle(certificatePEM: signed.certificatePEM, chainPEM: signed.chainPEM.joined(separator: "\n"),
                                           privateKeyPEM: key.pemRepresentation)
        } catch {
            throw APIError(status: .badGateway, code: "step_ca_error", message: "step-ca returned an unusable certificate: \(error)")
        }
        request.audit.details["step_ca_id"] = authority.id?.uuidString
        let record = try await CertificatesController.store(name: name, source: "step_ca", leaf: bundle.leaf, chain: bundle.chain,
                                                            keyPEM: key.pemRepresentation, request: request)
        return try CertificatesController.created(record)
    }

    static func ssh(_ request: Request) async throws -> Response {
        let authority = try await StepCAAuthoritiesController.find(request)
        let body = try request.content.decode(StepCASSHBody.self)
        let (key, keyID) = try await subjectKey(body, on: request.db)
        let publicKey = "\(key.algorithm) \(key.blobBase64)"
        guard let certType = body.certType, ["user", "host"].contains(certType) else {
            throw APIError.validation("cert_type", "user or host")
        }
        let identity = try ObjectName.valid(body.keyId ?? "", field: "key_id")
        let principals = try validPrincipals(body.principals ?? [])
        let hours = body.validForHours ?? (certType == "user" ? 16 : 720)
        guard (1...8760).contains(hours) else { throw APIError.validation("valid_for_hours", "1 to 8760") }
        let line = try await StepCAProvisioner.withClient(authority, secrets: request.unity.secrets) { client in
            try await client.signSSH(publicKey: publicKey, certType: certType, keyID: identity, principals: principals,
                                     validBefore: Date().addingTimeInterval(Double(hours) * 3600))
        }
        // Trust but verify: the certificate must be for the key, type and principals we asked for.
        let certificate: OpenSSHCertificate
        do { certificate = try OpenSSHCertificate(line: line) } catch {
            throw APIError(status: .badGateway, code: "step_ca_error", message: "step-ca returned an unreadable SSH certificate: \(error)")
        }
        guard certificate.publicKeyFields == (try? OpenSSHCertificate.publicKeyFields(ofPublicKeyLine: publicKey)),
              certificate.kind.rawValue == certType, Set(certificate.principals) == Set(principals) else {
            throw APIError(status: .badGateway, code: "step_ca_error", message: "step-ca certified something other than what was asked")
        }
        let row = SSHCertificateRecord()
        row.authorityID = try authority.requireID()
        row.sshKeyID = keyID
        row.certType = certType
        row.keyID = certificate.keyID
        row.principals = JSONList.encode(certificate.principals)
        row.serial = String(certificate.serial)
        row.validAfter = certificate.validAfter
        row.validBefore = certificate.validBefore
        row.certificate = line
        try await row.create(on: request.db)
        request.audit.targetID = row.id?.uuidString
        request.audit.details["step_ca_id"] = authority.id?.uuidString
        request.audit.details["serial"] = row.serial
        let response = Response(status: .created)
        try response.content.encode(try SSHCertificateDTO(row))
        return response
    }

    static func listSSHCertificates(_ request: Request) async throws -> Page<SSHCertificateDTO> {
        let paging = try PageRequest(request)
        let (rows, total) = try await PagedRows<SSHCertificateDTO.ListRow>.fetch(
            request.db, table: SSHCertificateRecord.schema, columns: SSHCertificateDTO.ListRow.columns,
            orderBy: [("created_at", .descending), ("id", .ascending)], paging: paging)
        return Page(items: rows.map(SSHCertificateDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    /// The key to certify: a stored key (its public line) or a pasted public key line.
    private static func subjectKey(_ body: StepCASSHBody, on db: any Database) async throws -> (UnityCredentials.PublicKey, UUID?) {
        switch (body.sshKeyId, body.publicKey.flatMap { $0.isEmpty ? nil : $0 }) {
        case (let id?, nil):
            guard let key = try await SSHKeyRecord.find(id, on: db) else { throw APIError.validation("ssh_key_id", "no such SSH key") }
            do { return (try UnityCredentials.PublicKey(line: key.publicKey), id) } catch {
                throw APIError.validation("ssh_key_id", "the stored public key is unreadable: \(error)")
            }
        case (nil, let line?):
            do { return (try UnityCredentials.PublicKey(line: line), nil) } catch { throw APIError.validation("public_key", "\(error)") }
        default:
            throw APIError.validation("ssh_key_id", "give exactly one of ssh_key_id or public_key")
        }
    }

    private static func validPrincipals(_ raw: [String]) throws -> [String] {
        var result: [String] = []
        for principal in raw.map({ $0.trimmingCharacters(in: .whitespaces) }) where !result.contains(principal) {
            guard (1...255).contains(principal.count), !principal.contains(where: { $0.isWhitespace || $0 == "," || $0.isNewline }) else {
                throw APIError.validation("principals", "\(principal) is not a user or host name")
            }
            result.append(principal)
        }
        guard (1...100).contains(result.count) else { throw APIError.validation("principals", "1 to 100 principals") }
        return result
    }

    /// DNS names (lowercased, wildcards allowed) and IPv4/IPv6 addresses, duplicates dropped.
    static func validIdentifiers(_ raw: [String]) throws -> [ACMEIdentifier] {
        var result: [ACMEIdentifier] = []
        for name in raw.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !result.contains(where: { $0.value == name }) {
            if isIPAddress(name) { result.append(.ip(name)); continue }
            let pattern = #"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"#
            guard name.count <= 253, name.range(of: pattern, options: .regularExpression) != nil else {
                throw APIError.validation("names", "\(name) is not a DNS name or IP address")
            }
            result.append(.dns(name))
        }
        guard (1...100).contains(result.count) else { throw APIError.validation("names", "1 to 100 names") }
        return result
    }

    private static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
