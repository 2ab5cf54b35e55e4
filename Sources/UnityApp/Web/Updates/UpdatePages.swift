import Fluent
import UnityContainers
import Vapor

/// `/updates` and `/admin/registries`: the update pages call the same functions as the API routes.
enum UpdatePages {
    static func list(_ request: Request) async throws -> Response {
        let updates = try await ContainerUpdatesController.list(request)
        let hosts = try await ContainerHostRecord.query(on: request.db).all()
        let names = Dictionary(hosts.compactMap { host in host.id.map { ($0, host.name) } }, uniquingKeysWith: { first, _ in first })
        let model = UpdatesModel(updates: updates, hostNames: names)
        return try WebLayout.respond(request, title: "Updates", section: .containers) { UpdatesView.body(model, viewer: $0) }
    }

    static func checkAll(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/updates") {
            let summary = try await ContainerUpdatesController.checkAll(request)
            return "Checked \(summary.checked) containers: \(summary.updateAvailable) with updates, \(summary.unknown) unknown."
        }
    }

    static func check(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/updates") {
            let update = try await ContainerUpdatesController.checkContainer(request)
            return "\(update.containerName): \(update.status.replacingOccurrences(of: "_", with: " "))."
        }
    }

    static func skip(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/updates") {
            let update = try await ContainerUpdatesController.skip(request)
            return "\(update.containerName): \(update.skippedTag ?? update.skippedDigest.map { String($0.prefix(19)) } ?? "the candidate") will not be reported again."
        }
    }

    static func pin(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/updates") {
            let update = try await ContainerUpdatesController.pin(request)
            return update.pinned ? "\(update.containerName) is pinned: no more checks." : "\(update.containerName) is checked again."
        }
    }

    // MARK: registry credentials (admin)

    static let registryFields = ["host", "username", "password", "allow_insecure_http"]

    static func registries(_ request: Request) async throws -> Response { try await renderRegistries(request, form: .empty, status: .ok) }

    static func renderRegistries(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        request.url.query = "per_page=200"
        let rows = try await RegistriesController.list(request).items
        return try WebLayout.respond(request, title: "Registry credentials", section: .admin, status: status) {
            RegistriesView.body(rows, form: form, viewer: $0)
        }
    }

    static func createRegistry(_ request: Request) async throws -> Response {
        let form = request.webForm()
        let body = RegistryCredentialBody(host: form.text("host"), username: form.text("username"), password: form["password"].flatMap { $0.isEmpty ? nil : $0 },
                                          caCertificateId: nil, allowInsecureHttp: form.flag("allow_insecure_http"))
        return try await WebActions.submit(request, success: {
            let row = try await RegistriesController.create(body, request: request)
            return ("/admin/registries", "Stored how to sign in to \(row.host).")
        }, failure: { error in
            try await renderRegistries(request, form: FormState(values: form.kept(["host", "username"]), error: error, fields: registryFields), status: error.status)
        })
    }

    static func deleteRegistry(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/admin/registries") {
            _ = try await RegistriesController.delete(request)
            return "Credential removed: that registry is asked anonymously now."
        }
    }
}
