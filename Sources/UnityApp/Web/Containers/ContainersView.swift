import Foundation

/// The containers page: every host's containers with filters, bulk actions, and the hosts themselves.
struct ContainerListModel: Sendable {
    struct Filters: Sendable, Equatable {
        var hostID = ""
        var state = ""
        var composeProject = ""
        /// `key` or `key=value`.
        var label = ""
        /// An update status (`update_available`, `up_to_date`, …) or empty.
        var update = ""

        var isEmpty: Bool { self == Filters() }
    }

    var hosts: [ContainerHostDTO]
    var containers: [ContainerDTO]
    /// Every compose project and state seen, for the filter menus.
    var projects: [String]
    var states: [String]
    var filters = Filters()
    /// Update status per container id (containers never checked have none).
    var updates: [UUID: ContainerUpdateDTO] = [:]
}

enum ContainersView {
    static func body(_ model: ContainerListModel, viewer: WebViewer) -> String {
        guard !model.hosts.isEmpty else { return emptyState(viewer) }
        let hostNames = Dictionary(uniqueKeysWithValues: model.hosts.map { ($0.id, $0.name) })
        let bulk = viewer.can(.operator)
        let rows = model.containers.map { row(for: $0, hostName: hostNames[$0.hostId] ?? "?", bulk: bulk, update: model.updates[$0.id]) }
        let empty = model.filters.isEmpty ? "No containers on these hosts yet. Discover a host below, or start a container on it."
            : "No container matches these filters."
        let headers = (bulk ? ["Select"] : []) + ["Name", "Host", "Image", "State", "Health", "Compose", "Update", "Started"]
        return """
        <h1>Containers</h1>
        <p class="actions"><a href="/updates">Updates</a></p>
        <section class="card" aria-label="Container list">\(filterForm(model))
        \(WebHTML.table(headers: headers, rows: rows, empty: empty))
        \(bulk && !rows.isEmpty ? bulkForm(viewer) : "")
        </section>
        \(hostsSection(model.hosts, viewer: viewer))
        """
    }

    static func row(for container: ContainerDTO, hostName: String, bulk: Bool, update: ContainerUpdateDTO? = nil) -> [String] {
        let esc = WebHTML.esc
        let id = container.id.uuidString.lowercased()
        let compose = container.compose.map { "\(esc($0.project))\($0.service.map { "/" + esc($0) } ?? "")" } ?? "—"
        return (bulk ? ["<input type=\"checkbox\" name=\"ids\" value=\"\(id)\" form=\"containers-bulk\" aria-label=\"Select \(esc(container.name))\">"] : []) + [
            "<a href=\"/containers/\(id)\">\(esc(container.name))</a>",
            "<a href=\"/containers?host_id=\(container.hostId.uuidString.lowercased())\">\(esc(hostName))</a>",
            "<code>\(esc(container.image ?? "—"))</code>",
            stateBadge(container.state) + (container.removedAt == nil ? "" : " " + WebHTML.badge("removed", tone: "muted")),
            healthBadge(container.health),
            compose,
            UpdatesView.badge(update),
            WebFormat.time(container.started),
        ]
    }

    static func filterForm(_ model: ContainerListModel) -> String {
        let hostOptions = [(value: "", label: "All hosts")] + model.hosts.map { (value: $0.id.uuidString.lowercased(), label: $0.name) }
        let stateOptions = [(value: "", label: "Any state")] + model.states.map { (value: $0, label: $0) }
        let projectOptions = [(value: "", label: "Any compose project")] + model.projects.map { (value: $0, label: $0) }
        let values = ["label": model.filters.label]
        return """
        <form method="get" action="/containers" class="filters" role="search">
        \(WebHTML.select("Host", name: "host_id", options: hostOptions, selected: model.filters.hostID, form: .empty))
        \(WebHTML.select("State", name: "state", options: stateOptions, selected: model.filters.state, form: .empty))
        \(WebHTML.select("Compose project", name: "compose_project", options: projectOptions, selected: model.filters.composeProject, form: .empty))
        \(WebHTML.field("Label", name: "label", form: FormState(values: values), hint: "key or key=value"))
        \(WebHTML.select("Update", name: "update", options: UpdatesView.statusOptions, selected: model.filters.update, form: .empty))
        <button type="submit">Filter</button></form>
        """
    }

    /// The ticked rows' checkboxes belong to this form through their `form` attribute.
    static func bulkForm(_ viewer: WebViewer) -> String {
        """
        <form method="post" action="/containers/bulk" id="containers-bulk" class="actions">\(viewer.csrfField)
        <span class="muted">Ticked containers:</span>
        <button type="submit" name="action" value="start" class="secondary">Start</button>
        <button type="submit" name="action" value="stop" class="secondary">Stop</button>
        <button type="submit" name="action" value="restart" class="secondary">Restart</button></form>
        """
    }

    static func hostsSection(_ hosts: [ContainerHostDTO], viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let rows = hosts.map { host -> [String] in
            let id = host.id.uuidString.lowercased()
            let engine = [host.engine, host.engineVersion].compactMap { $0 }.joined(separator: " ")
            let status = hostStatusBadge(host.status) + (host.lastErrorMessage.map { " <span class=\"error\">\(esc($0))</span>" } ?? "")
            let reach = host.serverId.map { "<a href=\"/servers/\($0.uuidString.lowercased())\">SSH</a>" } ?? esc(host.transport)
            let discover = viewer.can(.operator) ? WebHTML.actionButton("Discover now", action: "/containers/hosts/\(id)/discover", viewer: viewer, style: "secondary") : ""
            return ["<a href=\"/containers?host_id=\(id)\">\(esc(host.name))</a>", reach, esc(engine.isEmpty ? "—" : engine),
                    esc(host.apiVersion ?? "—"), status, WebFormat.time(host.lastDiscoveredAt), discover]
        }
        return """
        <section class="card" id="container-hosts" aria-labelledby="hosts-h"><h2 id="hosts-h">Container hosts</h2>
        \(WebHTML.table(headers: ["Host", "Reached by", "Engine", "API", "Status", "Discovered", ""], rows: rows, empty: "No container hosts."))
        <p class="muted">Enable containers on another server from its page (Servers → the server → Containers).</p></section>
        """
    }

    static func emptyState(_ viewer: WebViewer) -> String {
        let how = viewer.can(.admin)
            ? "Open a server on the <a href=\"/servers\">Servers</a> page and press <strong>Enable containers</strong>: Unity reaches Docker or Podman over the server's SSH connection, with no agent and no open port. The SSH user needs the docker group or a rootless Podman socket."
            : "An admin enables containers on a monitored server; its containers then show here."
        return """
        <h1>Containers</h1>
        <section class="card empty-state" aria-label="No container hosts"><h2>No container hosts yet</h2><p>\(how)</p></section>
        """
    }

    static func stateBadge(_ state: String) -> String {
        let tone = switch state {
        case "running": "ok"
        case "exited", "dead": "bad"
        case "paused", "restarting": "warn"
        default: "muted"
        }
        return WebHTML.badge(state, tone: tone)
    }

    static func healthBadge(_ health: String?) -> String {
        guard let health, !health.isEmpty, health != "none" else { return "<span class=\"muted\">—</span>" }
        return WebHTML.badge(health, tone: health == "healthy" ? "ok" : health == "unhealthy" ? "bad" : "muted")
    }

    static func hostStatusBadge(_ status: String) -> String {
        WebHTML.badge(status, tone: status == "up" ? "ok" : status == "unreachable" ? "bad" : "muted")
    }
}
