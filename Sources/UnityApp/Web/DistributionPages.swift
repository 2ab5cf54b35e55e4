import Fluent
import Vapor

/// `/credentials/distributions`: start an install / revoke / rotate job, follow it, list past jobs.
enum DistributionPages {
    static func list(_ request: Request) async throws -> Response { try await render(request, form: .empty, status: .ok) }

    static func render(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        request.url.query = "per_page=50"
        let jobs = try await DistributionsController.list(request).items
        let model = DistributionListModel(jobs: jobs, keys: try await ServerLoginPages.keyChoices(request),
                                          servers: try await serverChoices(request), form: form)
        return try WebLayout.respond(request, title: "Key distribution", section: .credentials, status: status) { DistributionsView.body(model, viewer: $0) }
    }

    static func serverChoices(_ request: Request) async throws -> [(id: UUID, name: String)] {
        try await MonitoredServer.query(on: request.db).sort(\.$name).all().compactMap { server in server.id.map { (id: $0, name: server.name) } }
    }

    static func create(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            func key(_ name: String) throws -> UUID? {
                guard let raw = form.text(name) else { return nil }
                guard let id = UUID(uuidString: raw) else { throw APIError.validation(name, "no such SSH key") }
                return id
            }
            guard let keyID = try key("key_id") else { throw APIError.validation("key_id", "choose a key") }
            let servers = form.values("server_ids").compactMap { UUID(uuidString: $0) }
            let body = CreateDistributionBody(operation: form.text("operation") ?? "", keyId: keyID, newKeyId: try key("new_key_id"),
                                              serverIds: servers, authorizedKeysPath: form.text("authorized_keys_path"))
            let response = try await request.callAPI("distributions.create", body: body, DistributionsController.create)
            let job = try response.content.decode(DistributionDTO.self)
            return (WebActions.path("/credentials/distributions", job.id), "Started: \(job.operation) on \(job.serverIds.count) servers.")
        }, failure: { error in
            var kept = FormState(values: form.kept(["operation", "key_id", "new_key_id", "authorized_keys_path"]), error: error, fields: DistributionsView.formFields)
            kept.values["server_ids"] = form.values("server_ids").joined(separator: ",")
            return try await render(request, form: kept, status: error.status)
        })
    }

    /// Runs the servers an interrupted job did not finish again, as a new job.
    static func retry(_ request: Request) async throws -> Response {
        let job = try await DistributionsController.find(request)
        let back = WebActions.path("/credentials/distributions", try job.requireID())
        return try await WebActions.submit(request, success: {
            let retry = try await DistributionStart.retry(job, request: request)
            return (WebActions.path("/credentials/distributions", try retry.requireID()), "Retrying \(job.operation) on the servers that did not finish.")
        }, failure: { error in
            WebFlash.redirect(request, to: back, notice: error.message, isError: true)
        })
    }

    /// The job page refreshes itself (every 2 s) while the job runs, then stops.
    static func job(_ request: Request) async throws -> Response {
        let job = try await DistributionsController.get(request)
        var names: [UUID: String] = [:]
        for key in try await SSHKeyRecord.query(on: request.db).filter(\.$id ~~ ([job.keyId] + (job.newKeyId.map { [$0] } ?? []))).all() {
            if let id = key.id { names[id] = key.name }
        }
        let servers = Dictionary(try await serverChoices(request).map { ($0.id.uuidString, $0.name) }) { first, _ in first }
        let response = try WebLayout.respond(request, title: "Key \(job.operation) job", section: .credentials) {
            DistributionsView.jobPage(job, keyNames: names, serverNames: servers, viewer: $0)
        }
        if job.status == DistributionJob.Status.running.rawValue { response.headers.replaceOrAdd(name: "Refresh", value: "2") }
        return response
    }
}
