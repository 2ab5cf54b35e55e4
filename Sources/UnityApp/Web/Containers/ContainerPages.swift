import Fluent
import UnityContainers
import Vapor

/// `/containers` pages: the list with its filters and bulk actions, one container, its buttons,
/// and "Discover now" on a host. Actions call the same functions as the API routes.
enum ContainerPages {
    static func list(_ request: Request) async throws -> Response {
        let hosts = try await ContainerHostRecord.query(on: request.db).sort(\.$name).all().map(ContainerHostDTO.init)
        let rows = try await ContainerRecord.query(on: request.db).filter(\.$removedAt == nil).sort(\.$name).all()
        let all = try rows.map(ContainerDTO.init)
        var filters = ContainerListModel.Filters()
        // A value that matches nothing is kept (the form shows it) and simply filters everything out.
        filters.hostID = request.query[String.self, at: "host_id"]?.lowercased() ?? ""
        filters.state = request.query[String.self, at: "state"] ?? ""
        filters.composeProject = request.query[String.self, at: "compose_project"] ?? ""
        filters.label = (request.query[String.self, at: "label"] ?? "").trimmingCharacters(in: .whitespaces)
        filters.update = request.query[String.self, at: "update"] ?? ""
        let statuses = try await ContainerUpdatesController.statusRows(for: all.map(\.id), on: request.db)
        var updates: [UUID: ContainerUpdateDTO] = [:]
        for row in rows {
            guard let id = row.id else { continue }
            updates[id] = try ContainerUpdateDTO(container: row, status: statuses[id])
        }
        let shown = all.filter { matches($0, filters) && (filters.update.isEmpty || updates[$0.id]?.status == filters.update) }
        let model = ContainerListModel(hosts: hosts, containers: shown, projects: Array(Set(all.compactMap(\.compose?.project))).sorted(),
                                       states: Array(Set(all.map(\.state))).sorted(), filters: filters, updates: updates)
        return try WebLayout.respond(request, title: "Containers", section: .containers) { ContainersView.body(model, viewer: $0) }
    }

    static func matches(_ container: ContainerDTO, _ filters: ContainerListModel.Filters) -> Bool {
        if !filters.hostID.isEmpty, container.hostId.uuidString.lowercased() != filters.hostID { return false }
        if !filters.state.isEmpty, container.state != filters.state { return false }
        if !filters.composeProject.isEmpty, container.compose?.project != filters.composeProject { return false }
        if !filters.label.isEmpty {
            let parts = filters.label.split(separator: "=", maxSplits: 1).map(String.init)
            guard let value = container.labels[parts[0]] else { return false }
            if parts.count == 2, value != parts[1] { return false }
        }
        return true
    }

    static func detail(_ request: Request) async throws -> Response {
        let row = try await ContainersController.find(request)
        let container = try ContainerDTO(row)
        guard let host = try await ContainerHostRecord.find(row.hostID, on: request.db) else { throw APIError.notFound("container host") }
        let events = try await ContainerEventRecord.query(on: request.db).filter(\.$containerID == row.requireID())
            .sort(\.$at, .descending).limit(50).all().map { (kind: $0.kind, detail: $0.detail, at: $0.at) }
        let viewer = try request.webViewer()
        let model = ContainerDetailModel(container: container, host: try ContainerHostDTO(host), events: events,
                                         liveStateAllowed: mayReadLiveState(container, viewer: viewer),
                                         updates: try await UpdateRunPages.section(for: row, request: request))
        return try WebLayout.respond(request, title: container.name, section: .containers) { ContainerDetailView.body(model, viewer: $0) }
    }

    static func mayReadLiveState(_ container: ContainerDTO, viewer: WebViewer) -> Bool {
        viewer.can(.operator) || !ContainerSensitivity.isSensitive(container.labels)
    }

    static func containerPath(_ request: Request) -> String { "/containers/" + (request.parameters.get("id") ?? "").lowercased() }

    static func act(_ action: ContainersController.Action) -> @Sendable (Request) async throws -> Response {
        { request in
            try await WebActions.perform(request, back: containerPath(request)) {
                let after = try await ContainersController.perform(action, on: try await ContainersController.find(request), timeout: nil, request: request)
                return "\(action.rawValue.capitalized): \(after.name) is \(after.state) now."
            }
        }
    }

    static func remove(_ request: Request) async throws -> Response {
        let form = request.webForm()
        let row = try await ContainersController.find(request)
        let name = row.name
        let hostPath = "/containers?host_id=\(row.hostID.uuidString.lowercased())"
        do {
            try await ContainersController.remove(row, force: form.flag("force"), request: request)
            return WebFlash.redirect(request, to: hostPath, notice: "Removed \(name).")
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            return WebFlash.redirect(request, to: containerPath(request), notice: mapped.message, isError: true)
        }
    }

    /// Start, stop or restart the ticked containers, one after the other; the notice says how each went.
    static func bulk(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.perform(request, back: "/containers") {
            guard let raw = form.text("action"), let action = ContainersController.Action(rawValue: raw), [.start, .stop, .restart].contains(action) else {
                throw APIError.validation("action", "start, stop or restart")
            }
            let ids = form.values("ids").compactMap(UUID.init(uuidString:))
            guard !ids.isEmpty, ids.count <= 100 else { throw APIError.validation("ids", "tick 1 to 100 containers") }
            request.audit.details["action"] = action.rawValue
            request.audit.details["count"] = String(ids.count)
            var done: [String] = [], failed: [String] = []
            for row in try await ContainerRecord.query(on: request.db).filter(\.$id ~~ ids).filter(\.$removedAt == nil).sort(\.$name).all() {
                do {
                    _ = try await ContainersController.perform(action, on: row, timeout: nil, request: request)
                    done.append(row.name)
                } catch {
                    failed.append("\(row.name) (\(UnityErrorMiddleware.map(error).message))")
                }
            }
            let verb = action.rawValue.capitalized
            return "\(verb): \(done.isEmpty ? "none" : done.joined(separator: ", "))." + (failed.isEmpty ? "" : " Failed: \(failed.joined(separator: "; ")).")
        }
    }

    static func discoverHost(_ request: Request) async throws -> Response {
        let host = try await ContainerHostsController.find(request)
        let back = "/containers?host_id=\(try host.requireID().uuidString.lowercased())"
        return try await WebActions.perform(request, back: back) {
            do {
                let outcome = try await ContainerDiscovery.run(host, application: request.application, database: request.db)
                return "Discovered \(host.name): \(outcome.inserted) new, \(outcome.removed) gone."
            } catch let error as ContainerEngineError {
                // The host row now carries the reason; the notice repeats it.
                throw APIError(status: .conflict, code: error.code, message: "\(host.name): \(error.message)")
            }
        }
    }

    /// "Enable containers" on a server page: the engine is detected over the server's SSH connection.
    static func enableOnServer(_ request: Request) async throws -> Response {
        let serverID = try request.uuidParameter(what: "server")
        let form = request.webForm()
        return try await WebActions.perform(request, back: ServerExtraPages.serverPath(request)) {
            let body = CreateContainerHostBody(serverId: serverID, socketPath: form.text("socket_path"), name: nil)
            let host = try await ContainerHostsController.create(body, request: request)
            if let error = host.lastErrorMessage { return "Containers enabled on \(host.name), but the engine is not reachable yet: \(error)" }
            return "Containers enabled on \(host.name): \(host.engineKind ?? "engine") \(host.engineVersion ?? ""), API \(host.apiVersion ?? "?")."
        }
    }
}
