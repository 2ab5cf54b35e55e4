import Fluent
import UnityAlerts
import UnityContainers
import Vapor

/// The server page's databases, certificate discovery and maintenance toggle.
enum ServerExtraPages {
    static func load(_ request: Request, server: MonitoredServer, databaseForm: FormState) async throws -> ServerExtras {
        let id = try server.requireID()
        let databases = try await MonitoredDatabase.query(on: request.db).filter(\.$serverID == id).all().map(MonitoredDatabaseDTO.init)
        let logins = try await ServerCredential.query(on: request.db).sort(\.$name).all().compactMap { row in row.id.map { (id: $0, name: row.name) } }
        let sightings = try await CertificateSighting.query(on: request.db).filter(\.$serverID == id).all()
        let records = try await CertificateRecord.query(on: request.db).filter(\.$id ~~ Array(Set(sightings.map(\.certificateID)))).sort(\.$notAfter).all()
        let certificates = try records.map { record in
            try CertificateDTO(record, sightings: sightings.filter { $0.certificateID == record.id }.map(\.location))
        }
        let maintenance = try await MaintenanceStore.load(on: request.db)
        var extras = ServerExtras(databases: databases, logins: logins, certificates: certificates, inMaintenance: maintenance.servers.contains(id.uuidString),
                                  globalMaintenance: maintenance.global, databaseForm: databaseForm)
        if let host = try await ContainerHostRecord.query(on: request.db).filter(\.$serverID == id).first() {
            extras.containerHost = try ContainerHostDTO(host)
            let states = try await ContainerRecord.query(on: request.db).filter(\.$hostID == host.requireID()).filter(\.$removedAt == nil).all().map(\.state)
            extras.containerCounts = Dictionary(states.map { ($0, 1) }, uniquingKeysWith: +)
        }
        return extras
    }

    static func serverPath(_ request: Request) -> String { "/servers/" + (request.parameters.get("id") ?? "").lowercased() }

    static func addDatabase(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            var credential: UUID?
            if let raw = form.text("credential_id") {
                guard let id = UUID(uuidString: raw) else { throw APIError.validation("credential_id", "no such credential") }
                credential = id
            }
            let body = MonitoredDatabaseBody(engine: form.text("engine") ?? "", host: form.text("host"), port: try CertificatePages.number(form, "port"),
                                             databaseName: form.text("database_name"), username: form.text("username"), credentialId: credential)
            let response = try await request.callAPI("servers.add_database", body: body, DatabasesController.create)
            let database = try response.content.decode(MonitoredDatabaseDTO.self)
            return (serverPath(request) + "#databases", "Added \(database.engine); it is probed from the next collection on.")
        }, failure: { error in
            let kept = FormState(values: form.kept(ServerExtrasView.databaseFields), error: error, fields: ServerExtrasView.databaseFields)
            return try await ServerPages.renderDetail(request, databaseForm: kept, status: error.status)
        })
    }

    static func removeDatabase(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: serverPath(request) + "#databases") {
            _ = try await request.callAPI("servers.remove_database", body: Optional<String>.none, DatabasesController.delete)
            return "Stopped probing the database."
        }
    }

    static func discoverCertificates(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.perform(request, back: serverPath(request) + "#server-certificates") {
            let list = { (name: String) in (form[name] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }).map(String.init) }
            var ports: [Int] = []
            for raw in list("ports") {
                guard let port = Int(raw) else { throw APIError.validation("ports", "\(raw) is not a port number") }
                ports.append(port)
            }
            let paths = list("paths")
            let body = DiscoverBody(ports: ports.isEmpty ? nil : ports, paths: paths.isEmpty ? nil : paths)
            let result = try await request.callAPI("servers.discover_certificates", body: body, CertificateFleetController.discover)
            let found = result.found.isEmpty ? "Found no certificates." : "Found \(result.found.count) certificates: \(result.found.map(\.name).joined(separator: ", "))."
            let text = result.problems.isEmpty ? found : found + " Not readable: " + result.problems.joined(separator: "; ") + "."
            return WebNoticeText.short(text)
        }
    }

    /// Puts this server into maintenance or takes it out; the global switch and other servers are kept.
    static func setMaintenance(_ request: Request) async throws -> Response {
        let server = try await ServersController.find(request)
        let on = request.webForm()["on"] == "true"
        return try await WebActions.perform(request, back: serverPath(request) + "#maintenance") {
            let current = try await MaintenanceStore.load(on: request.db)
            var servers = current.servers
            if on { servers.insert(try server.requireID().uuidString) } else { servers.remove(try server.requireID().uuidString) }
            _ = try await request.callAPI("alerts.set_maintenance", body: MaintenanceDTO(global: current.global, serverIds: servers.sorted()),
                                          AlertsController.setMaintenance)
            return on ? "\(server.name) is in maintenance: its notifications are held back." : "\(server.name) is out of maintenance."
        }
    }
}
