import Fluent
import Vapor

/// `/certificates`: the inventory by expiry state, import, issue, and Unity's internal CA.
enum CertificatePages {
    static let states = ["valid", "expiring", "expired"]

    static func list(_ request: Request) async throws -> Response {
        try await render(request, importForm: .empty, issueForm: .empty, status: .ok)
    }

    static func render(_ request: Request, importForm: FormState, issueForm: FormState, status: HTTPResponseStatus) async throws -> Response {
        let state = request.query[String.self, at: "state"].flatMap { states.contains($0) ? $0 : nil }
        let now = Date()
        let all = try await CertificateRecord.query(on: request.db).sort(\.$notAfter).all().map { try CertificateDTO($0, now: now) }
        let authority = try await CertificateAuthorityRecord.query(on: request.db).first().map(CertificatesController.authorityDTO)
        let model = CertificateListModel(certificates: state.map { state in all.filter { $0.state == state } } ?? all, state: state ?? "",
                                         authority: authority, importForm: importForm, issueForm: issueForm)
        return try WebLayout.respond(request, title: "Certificates", section: .credentials, status: status) { CertificatesView.body(model, viewer: $0) }
    }

    static func importCertificate(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let body = ImportCertificateBody(name: form.text("name"), certificatePem: form["certificate_pem"] ?? "",
                                             chainPem: form.text("chain_pem"), privateKeyPem: form.text("private_key_pem"))
            let response = try await request.callAPI("certificates.import", body: body, CertificatesController.importCertificate)
            let certificate = try response.content.decode(CertificateDTO.self)
            return (WebActions.path("/certificates", certificate.id), "Imported \(certificate.name) (expires in \(certificate.daysLeft) days).")
        }, failure: { error in
            // The private key is never sent back into the page.
            let kept = FormState(values: form.kept(["name", "certificate_pem", "chain_pem"]), error: error, fields: CertificatesView.importFields)
            return try await render(request, importForm: kept, issueForm: .empty, status: error.status)
        })
    }

    static func issue(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let body = IssueCertificateBody(name: form.text("issue_name"), dnsNames: names(form["dns_names"]), ipAddresses: names(form["ip_addresses"]),
                                            validityDays: try number(form, "validity_days"), keyAlgorithm: form.text("key_algorithm"),
                                            issuer: form.text("issuer"))
            let response = try await request.callAPI("certificates.issue", body: body, CertificatesController.issue)
            let certificate = try response.content.decode(CertificateDTO.self)
            return (WebActions.path("/certificates", certificate.id), "Issued \(certificate.name), valid until \(WebFormat.date(certificate.notAfter)).")
        }, failure: { error in
            // The API calls the name `name`; on this page the issue form's is `issue_name`.
            let renamed = error.field == "name" ? APIError.validation("issue_name", String(error.message.dropFirst("name: ".count))) : error
            let kept = FormState(values: form.kept(CertificatesView.issueFields), error: renamed, fields: CertificatesView.issueFields)
            return try await render(request, importForm: .empty, issueForm: kept, status: error.status)
        })
    }

    static func createAuthority(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/certificates") {
            let response = try await request.callAPI("ca.create", body: Optional<String>.none, CertificatesController.createAuthority)
            let authority = try response.content.decode(CertificateAuthorityDTO.self)
            return "Created \(authority.name) (\(authority.fingerprint))."
        }
    }

    /// Names separated by commas, spaces or new lines.
    static func names(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
    }

    static func number(_ form: WebForm, _ name: String) throws -> Int? {
        guard let text = form.text(name) else { return nil }
        guard let value = Int(text) else { throw APIError.validation(name, "expected a whole number") }
        return value
    }
}
