import Fluent
import UnityParsers
import Vapor

/// The server list's fleet actions: collect all, enable/disable the ticked servers, and import
/// from an ssh config or Ansible inventory (preview first, then create the chosen ones).
enum ServerFleetPages {
    static func collectAll(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/servers") {
            let names = Dictionary(try await MonitoredServer.query(on: request.db).all().compactMap { row in row.id.map { ($0, row.name) } }) { first, _ in first }
            let result = try await request.callAPI("servers.collect_all", body: Optional<String>.none, CollectionController.collectAll)
            guard !result.results.isEmpty else { return "No enabled servers to collect." }
            let failed = result.results.filter { $0.error != nil }
            let summary = "Collected \(result.results.count) servers: \(result.results.count - failed.count) OK, \(failed.count) failed"
            guard !failed.isEmpty else { return summary + "." }
            let detail = failed.map { "\(names[$0.serverId] ?? "?") (\($0.error ?? ""))" }.joined(separator: "; ")
            return WebNoticeText.short(summary + ": " + detail + ".")
        }
    }

    static func bulkEnable(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.perform(request, back: "/servers") {
            let enable = form["enabled"] == "true"
            let ids = form.values("ids").compactMap(UUID.init(uuidString:))
            guard !ids.isEmpty else { throw APIError.validation("ids", "tick at least one server first") }
            let result = try await request.callAPI("servers.bulk_enable", body: BulkEnableBody(ids: ids, enabled: enable), ServersController.bulkEnable)
            return "\(enable ? "Enabled" : "Disabled") \(result.updated) servers."
        }
    }

    static func importForm(_ request: Request) async throws -> Response {
        try await renderImport(request, form: FormState(values: ["format": "ssh_config"]), preview: nil, status: .ok)
    }

    static func renderImport(_ request: Request, form: FormState, preview: ImportPreviewDTO?, status: HTTPResponseStatus) async throws -> Response {
        let keys = try await ServerLoginPages.keyChoices(request)
        return try WebLayout.respond(request, title: "Import servers", section: .servers, status: status) {
            ServerImportView.page(form: form, preview: preview, keys: keys, viewer: $0)
        }
    }

    /// Parses the pasted text and shows what would be created; nothing is saved yet.
    static func preview(_ request: Request) async throws -> Response {
        let form = request.webForm()
        let kept = form.kept(["format", "text"])
        do {
            let result = try await request.callAPI("servers.import_preview", body: previewBody(form), ServersController.importPreview)
            return try await renderImport(request, form: FormState(values: kept), preview: result, status: .ok)
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            return try await renderImport(request, form: FormState(values: kept, error: mapped, fields: ServerImportView.formFields), preview: nil, status: mapped.status)
        }
    }

    static func previewBody(_ form: WebForm) -> ImportPreviewBody {
        ImportPreviewBody(format: form.text("format") ?? "ssh_config", text: form["text"] ?? "")
    }

    /// Creates the ticked servers through `servers.create`, one by one; what fails is named in the notice.
    static func importServers(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.perform(request, back: "/servers") {
            let preview = try await request.callAPI("servers.import_preview", body: previewBody(form), ServersController.importPreview)
            let picked = Set(form.values("pick"))
            guard !picked.isEmpty else { throw APIError.validation("pick", "tick at least one server to import") }
            var keyID: UUID?
            if let raw = form.text("ssh_key_id") {
                guard let id = UUID(uuidString: raw) else { throw APIError.validation("ssh_key_id", "no SSH key with this id") }
                keyID = id
            }
            let tags = (form["tags"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var created: [String] = []
            var failed: [String] = []
            for server in preview.servers where picked.contains(server.name) {
                guard let username = server.username ?? form.text("username") else { failed.append("\(server.name) (no user name)"); continue }
                let body = CreateServerBody(name: server.name, address: server.address, port: server.port, username: username,
                                            tags: Array(Set(server.tags + tags)).sorted(), enabled: true, intervalSeconds: nil,
                                            sshKeyId: keyID, credentialId: nil, useSudo: false, jumpServerId: nil, hostKey: nil)
                do {
                    _ = try await request.callAPI("servers.create", body: body, ServersController.create)
                    created.append(server.name)
                } catch {
                    failed.append("\(server.name) (\(UnityErrorMiddleware.map(error).message))")
                }
            }
            request.audit.action = "servers.import"
            request.audit.details["created"] = String(created.count)
            var text = "Imported \(created.count) servers" + (created.isEmpty ? "." : ": \(created.joined(separator: ", ")).")
            if !failed.isEmpty { text += " Not imported: " + failed.joined(separator: "; ") + "." }
            return WebNoticeText.short(text)
        }
    }
}
