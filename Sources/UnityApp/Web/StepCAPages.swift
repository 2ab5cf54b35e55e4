import Fluent
import Vapor

/// `/credentials/step-ca`: step-ca authorities (admins add and remove them), X.509 certificates and
/// SSH user/host certificates signed through them (operators), and the SSH certificates issued.
enum StepCAPages {
    static let authorityFields = ["name", "url", "root_fingerprint", "provisioner_name", "provisioner_jwk", "encrypted_key", "password", "acme_provisioner"]
    static let x509Fields = ["authority_id", "names", "name"]
    static let sshFields = ["authority_id", "ssh_key_id", "public_key", "cert_type", "key_id", "principals", "valid_for_hours"]

    struct Forms: Sendable {
        var authority: FormState = .empty
        var x509: FormState = .empty
        var ssh: FormState = .empty
    }

    static func list(_ request: Request) async throws -> Response { try await render(request, forms: Forms(), status: .ok) }

    static func render(_ request: Request, forms: Forms, status: HTTPResponseStatus) async throws -> Response {
        request.url.query = "per_page=\(PageRequest.maxPerPage)"
        let model = StepCAListModel(authorities: try await StepCAAuthoritiesController.list(request).items,
                                    certificates: try await StepCAIssueController.listSSHCertificates(request).items,
                                    keys: try await ServerLoginPages.keyChoices(request), forms: forms)
        return try WebLayout.respond(request, title: "step-ca", section: .credentials, status: status) { StepCAView.body(model, viewer: $0) }
    }

    static func createAuthority(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let body = StepCAAuthorityBody(name: form.text("name"), url: form.text("url"), rootFingerprint: form.text("root_fingerprint"),
                                           provisionerName: form.text("provisioner_name"), provisionerJwk: form.text("provisioner_jwk").map(JSONValue.string),
                                           encryptedKey: form.text("encrypted_key"), password: form["password"].flatMap { $0.isEmpty ? nil : $0 },
                                           acmeProvisioner: form.text("acme_provisioner"))
            let response = try await request.callAPI("step_ca.create", body: body, StepCAAuthoritiesController.create)
            let authority = try response.content.decode(StepCAAuthorityDTO.self)
            return ("/credentials/step-ca", "Added step-ca \(authority.name); its root is pinned (SHA-256 \(authority.rootFingerprint.prefix(16))…).")
        }, failure: { error in
            // Provisioner keys and the password are secrets: never sent back into the page.
            let kept = FormState(values: form.kept(["name", "url", "root_fingerprint", "provisioner_name", "acme_provisioner"]), error: error, fields: authorityFields)
            return try await render(request, forms: Forms(authority: kept), status: error.status)
        })
    }

    static func deleteAuthority(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/credentials/step-ca") {
            _ = try await request.callAPI("step_ca.delete", body: Optional<String>.none, StepCAAuthoritiesController.delete)
            return "Forgot the step-ca; what it signed stays listed."
        }
    }

    /// The sign forms post to the chosen authority's API route, so the form carries its id.
    static func authorityID(_ form: WebForm, on request: Request) throws {
        guard let raw = form.text("authority_id"), UUID(uuidString: raw) != nil else { throw APIError.validation("authority_id", "choose a step-ca") }
        request.parameters.set("id", to: raw)
    }

    static func signX509(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            try authorityID(form, on: request)
            let names = (form["names"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
            let response = try await request.callAPI("step_ca.sign_x509", body: StepCAX509Body(names: names, name: form.text("name"), notAfter: nil),
                                                     StepCAIssueController.x509)
            let certificate = try response.content.decode(CertificateDTO.self)
            return (WebActions.path("/certificates", certificate.id), "Signed by step-ca: \(certificate.name), serial \(certificate.serial).")
        }, failure: { error in
            let kept = FormState(values: form.kept(x509Fields), error: error, fields: x509Fields)
            return try await render(request, forms: Forms(x509: kept), status: error.status)
        })
    }

    static func signSSH(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            try authorityID(form, on: request)
            var keyID: UUID?
            if let raw = form.text("ssh_key_id") {
                guard let id = UUID(uuidString: raw) else { throw APIError.validation("ssh_key_id", "no such SSH key") }
                keyID = id
            }
            let principals = (form["principals"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
            let body = StepCASSHBody(sshKeyId: keyID, publicKey: form.text("public_key"), certType: form.text("cert_type"), keyId: form.text("key_id"),
                                     principals: principals, validForHours: try CertificatePages.number(form, "valid_for_hours"))
            let response = try await request.callAPI("step_ca.sign_ssh", body: body, StepCAIssueController.ssh)
            let certificate = try response.content.decode(SSHCertificateDTO.self)
            return ("/credentials/step-ca#ssh-certificates", "Signed an SSH \(certificate.certType) certificate for \(certificate.keyId), valid until \(WebFormat.date(certificate.validBefore)).")
        }, failure: { error in
            let kept = FormState(values: form.kept(sshFields), error: error, fields: sshFields)
            return try await render(request, forms: Forms(ssh: kept), status: error.status)
        })
    }
}
