import Fluent
import Vapor

/// `/servers` pages: list, add, detail, and the detail page's buttons.
enum ServerPages {
    static func list(_ request: Request, form: FormState = .empty, status: HTTPResponseStatus = .ok) async throws -> Response {
        let all = try await MonitoredServer.query(on: request.db).sort(\.$name).all().map(ServerDTO.init)
        let tag = request.query[String.self, at: "tag"].flatMap { $0.isEmpty ? nil : $0 }
        let keys = try await SSHKeyRecord.query(on: request.db).sort(\.$name).all().compactMap { key in key.id.map { (id: $0, name: key.name) } }
        // The API's list filters (status, enabled) as well as tags; a value the API would refuse is ignored.
        let statusFilter = request.query[String.self, at: "status"].flatMap(MonitoredServer.Status.init(rawValue:))
        let enabled = request.query[String.self, at: "enabled"].flatMap { Bool($0) }
        let shown = all.filter { server in
            (tag.map { server.tags.contains($0) } ?? true) && (statusFilter.map { server.status == $0 } ?? true) && (enabled.map { server.enabled == $0 } ?? true)
        }
        var model = ServerListModel(servers: shown, allTags: Array(Set(all.flatMap(\.tags))).sorted(), selectedTag: tag, sshKeys: keys, form: form)
        model.selectedStatus = statusFilter?.rawValue ?? ""
        model.selectedEnabled = enabled.map { String($0) } ?? ""
        return try WebLayout.respond(request, title: "Servers", section: .servers, status: status) { ServersView.body(model, viewer: $0) }
    }

    static func listPage(_ request: Request) async throws -> Response { try await list(request) }

    static func create(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let body = try createBody(form)
            let response = try await request.callAPI("servers.create", body: body, ServersController.create)
            let server = try response.content.decode(ServerDTO.self)
            return (WebActions.path("/servers", server.id), "Added \(server.name). Test the connection or collect now.")
        }, failure: { error in
            try await list(request, form: FormState(values: form.kept(ServersView.formFields + ["use_sudo"]), error: error, fields: ServersView.formFields),
                           status: error.status)
        })
    }

    /// The form as the API's create body; numbers that are not numbers fail here, named like the API names them.
    static func createBody(_ form: WebForm) throws -> CreateServerBody {
        func number(_ name: String) throws -> Int? {
            guard let text = form.text(name) else { return nil }
            guard let value = Int(text) else { throw APIError.validation(name, "expected a whole number") }
            return value
        }
        var keyID: UUID?
        if let raw = form.text("ssh_key_id") {
            guard let id = UUID(uuidString: raw) else { throw APIError.validation("ssh_key_id", "no SSH key with this id") }
            keyID = id
        }
        guard let name = form.text("name") else { throw APIError.validation("name", "is required") }
        guard let address = form.text("address") else { throw APIError.validation("address", "is required") }
        guard let username = form.text("username") else { throw APIError.validation("username", "is required") }
        let tags = (form.text("tags") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return CreateServerBody(name: name, address: address, port: try number("port"), username: username, tags: tags, enabled: true,
                                intervalSeconds: try number("interval_seconds"), sshKeyId: keyID, credentialId: nil,
                                useSudo: form.flag("use_sudo"), jumpServerId: nil, hostKey: form.text("host_key"))
    }

    static func detail(_ request: Request) async throws -> Response { try await renderDetail(request, databaseForm: .empty, status: .ok) }

    static func renderDetail(_ request: Request, databaseForm: FormState, status: HTTPResponseStatus) async throws -> Response {
        let server = try await ServersController.find(request)
        let id = try server.requireID()
        let range = request.query[String.self, at: "range"].flatMap { ServerDetailView.ranges.contains($0) ? $0 : nil } ?? "24h"
        var snapshot: SnapshotDTO?
        if let row = try await ServerSnapshotRecord.find(id, on: request.db), let value = row.hostSnapshot {
            snapshot = SnapshotDTO(serverId: id, collectedAt: row.collectedAt, durationMs: row.durationMS,
                                   errors: row.collectionErrors.map(CollectionErrorDTO.init), snapshot: value)
        }
        let model = ServerDetailModel(server: try ServerDTO(server), snapshot: snapshot, range: range,
                                      charts: try await charts(server: id, range: range, on: request.db),
                                      hostKey: HostKeyController.dto(server),
                                      jumpHost: try await jumpHost(of: server, on: request.db),
                                      extras: try await ServerExtraPages.load(request, server: server, databaseForm: databaseForm))
        return try WebLayout.respond(request, title: server.name, section: .servers, status: status) { ServerDetailView.body(model, viewer: $0) }
    }

    private static func jumpHost(of server: MonitoredServer, on db: any Database) async throws -> JumpHostKeyModel? {
        guard let jumpID = server.jumpServerID, let jump = try await MonitoredServer.find(jumpID, on: db) else { return nil }
        return JumpHostKeyModel(id: jumpID, name: jump.name, hostKey: HostKeyController.dto(jump))
    }

    /// Metrics the detail page charts; each is in `AlertCatalogue.metrics` (a test checks), so a chart is never unalertable.
    static let chartedMetrics = [SnapshotMetricCatalogue.cpuPercent, SnapshotMetricCatalogue.memoryUsedPercent,
                                 SnapshotMetricCatalogue.load1, InfrastructureAlerts.filesystemUsed]

    /// CPU, memory, load, and used space of every mount Unity has history for.
    static func charts(server: UUID, range: String, on db: any Database) async throws -> [SVGChart] {
        let now = Date()
        let span = CollectionController.ranges[range] ?? 86_400
        let from = now.addingTimeInterval(-span)
        let step = max(60, Int(span / 300))
        func chart(_ title: String, series: String, metric: String, unit: String, maximum: Double?) async throws -> SVGChart {
            let points = try await MetricStore.query(server: server, series: series, metric: metric, from: from, to: now, step: step,
                                                     retention: HistoryRetention(), now: now, on: db)
            return SVGChart(title: title, unit: unit, points: points.map { .init(t: $0.t, value: $0.avg) }, from: from, to: now, maximum: maximum)
        }
        var charts = [
            try await chart("CPU busy", series: "host", metric: SnapshotMetricCatalogue.cpuPercent, unit: "%", maximum: 100),
            try await chart("Memory used", series: "host", metric: SnapshotMetricCatalogue.memoryUsedPercent, unit: "%", maximum: 100),
            try await chart("Load (1 min)", series: "host", metric: SnapshotMetricCatalogue.load1, unit: "", maximum: nil),
        ]
        let mounts = try await MetricSeries.query(on: db).filter(\.$serverID == server).filter(\.$metric == InfrastructureAlerts.filesystemUsed)
            .sort(\.$series).all().map(\.series)
        for series in mounts {
            charts.append(try await chart("Used space \(series.dropFirst(3))", series: series, metric: InfrastructureAlerts.filesystemUsed, unit: "%", maximum: 100))
        }
        return charts
    }

    static func test(_ request: Request) async throws -> Response {
        let back = request.url.path.replacingOccurrences(of: "/test", with: "")
        return try await WebActions.perform(request, back: back) {
            let result = try await request.callAPI("servers.test", body: Optional<String>.none, ServerConnectivity.test)
            guard result.ok else { return "Connection failed: \(result.error ?? result.status.rawValue)" }
            return "Connection OK in \(result.latencyMs ?? 0) ms: \(result.uname ?? "")" + (result.hostKeyPinned ? " (host key pinned)" : "")
        }
    }

    static func collect(_ request: Request) async throws -> Response {
        let back = request.url.path.replacingOccurrences(of: "/collect", with: "")
        return try await WebActions.perform(request, back: back) {
            let result = try await request.callAPI("servers.collect", body: Optional<String>.none, CollectionController.collect)
            if let error = result.error { return "Collection failed: \(error)" }
            let partial = result.sectionErrors.isEmpty ? "" : " (\(result.sectionErrors.count) sections failed)"
            return "Collected in \(result.durationMs) ms\(partial)."
        }
    }

    static func acceptHostKey(_ request: Request) async throws -> Response {
        let back = request.url.path.replacingOccurrences(of: "/host-key/accept", with: "")
        let form = request.webForm()
        return try await WebActions.perform(request, back: back) {
            guard form.flag("confirm") else { throw APIError.validation("confirm", "tick the box once you have compared the fingerprint") }
            let body = AcceptHostKeyBody(fingerprint: form.text("fingerprint") ?? "")
            let result = try await request.callAPI("servers.host_key_accept", body: body, HostKeyController.accept)
            return "Accepted host key \(result.pinned.first?.fingerprint ?? "")."
        }
    }
}
