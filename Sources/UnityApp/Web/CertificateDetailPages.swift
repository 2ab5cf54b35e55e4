import Fluent
import Vapor

/// `/certificates/:id`: the fields, where it was seen, deploy (with its outcome), key reveal, delete.
enum CertificateDetailPages {
    static func detail(_ request: Request) async throws -> Response { try await render(request, form: .empty, status: .ok) }

    static func render(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let certificate = try await CertificatesController.get(request)
        let servers = try await MonitoredServer.query(on: request.db).sort(\.$name).all().compactMap { server in server.id.map { (id: $0, name: server.name) } }
        let deployments = try await CertificateFleetController.deployments(request)
        let reloadCommands = try await ReloadCommands.allowed(on: request.db)
        return try WebLayout.respond(request, title: certificate.name, section: .credentials, status: status) {
            CertificateDetailView.body(certificate, servers: servers, deployments: deployments, reloadCommands: reloadCommands, form: form, viewer: $0)
        }
    }

    static func deploy(_ request: Request) async throws -> Response {
        let form = request.webForm()
        let back = request.url.path.replacingOccurrences(of: "/deploy", with: "")
        do {
            guard let raw = form.text("server_id"), let serverID = UUID(uuidString: raw) else { throw APIError.validation("server_id", "choose a server") }
            let body = DeployCertificateBody(serverId: serverID, certificatePath: form.text("certificate_path") ?? "", chainPath: form.text("chain_path"),
                                             keyPath: form.text("key_path") ?? "", owner: form.text("owner"), certificateMode: form.text("certificate_mode"),
                                             keyMode: form.text("key_mode"), reloadCommand: form.text("reload_command") ?? "",
                                             verifyPort: try CertificatePages.number(form, "verify_port"), verifyServerName: form.text("verify_server_name"))
            let result = try await request.callAPI("certificates.deploy", body: body, CertificateFleetController.deploy)
            return WebFlash.redirect(request, to: back, notice: WebNoticeText.short(outcomeText(result)), isError: !result.ok)
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            let kept = FormState(values: form.kept(CertificateDetailView.deployFields), error: mapped, fields: CertificateDetailView.deployFields)
            return try await render(request, form: kept, status: mapped.status)
        }
    }

    /// What the deploy did, in words; "renewed but not served" reads as the failure it is.
    static func outcomeText(_ result: DeployResultDTO) -> String {
        let serial = result.servedSerial.map { " (served serial \($0))" } ?? ""
        let detail = result.message.map { ": \($0)" } ?? ""
        switch result.outcome {
        case "deployed": return "Deployed and verified: the service now serves this certificate\(serial)."
        case "renewed_but_not_served": return "Deploy failed — renewed but not served: the files were written and reloaded, but the service still presents another certificate\(serial)\(detail)."
        default: return "Deploy failed (\(result.outcome.replacingOccurrences(of: "_", with: " ")))\(detail)."
        }
    }

    /// Deploys the current certificate again to a remembered place; the outcome is the notice.
    static func redeploy(_ request: Request) async throws -> Response {
        let back = "/certificates/\(request.parameters.get("id") ?? "")"
        return try await WebActions.perform(request, back: back) {
            WebNoticeText.short(outcomeText(try await request.callAPI("certificates.redeploy", body: Optional<String>.none, CertificateFleetController.redeploy)))
        }
    }

    static func forgetDeployment(_ request: Request) async throws -> Response {
        let back = "/certificates/\(request.parameters.get("id") ?? "")"
        return try await WebActions.perform(request, back: back) {
            _ = try await request.callAPI("certificates.forget_deployment", body: Optional<String>.none, CertificateFleetController.forgetDeployment)
            return "Forgotten: renewals no longer go there (the files stay on the server)."
        }
    }

    static func delete(_ request: Request) async throws -> Response {
        let certificate = try await CertificatesController.get(request)
        return try await WebActions.perform(request, back: "/certificates") {
            _ = try await request.callAPI("certificates.delete", body: Optional<String>.none, CertificatesController.delete)
            return "Removed \(certificate.name) from the inventory."
        }
    }

    static func confirmReveal(_ request: Request) async throws -> Response {
        let certificate = try await CertificatesController.get(request)
        return try WebLayout.respond(request, title: "Reveal key of \(certificate.name)", section: .credentials) {
            CertificateDetailView.confirmReveal(certificate, viewer: $0)
        }
    }

    /// Answers the POST with the key itself: the secret never goes into a URL, a cookie or a cache.
    static func reveal(_ request: Request) async throws -> Response {
        let certificate = try await CertificatesController.get(request)
        let revealed = try await request.callAPI("certificates.reveal_key", body: Optional<String>.none, CertificatesController.revealKey)
        return try WebLayout.respond(request, title: "Private key of \(certificate.name)", section: .credentials) { _ in
            CertificateDetailView.revealed(certificate, privateKey: revealed.privateKeyPem)
        }
    }
}
