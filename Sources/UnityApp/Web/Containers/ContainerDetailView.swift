import Foundation

/// One container: its configuration from the inventory, its state changes, and live logs and stats
/// loaded from the engine by the page script (the page itself renders from the database, so an
/// unreachable engine never breaks it).
struct ContainerDetailModel: Sendable {
    var container: ContainerDTO
    var host: ContainerHostDTO
    var events: [(kind: String, detail: String?, at: Date)]
    /// Viewers do not read the logs, processes or stats of a container labelled sensitive.
    var liveStateAllowed: Bool
    /// The "Update now" form and the update history (`UpdateRunsView`).
    var updates: ContainerUpdateSectionModel?
}

enum ContainerDetailView {
    static func body(_ model: ContainerDetailModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let container = model.container
        let base = "/containers/\(container.id.uuidString.lowercased())"
        return """
        <p><a href="/containers">← Containers</a> · <a href="/containers?host_id=\(container.hostId.uuidString.lowercased())">\(esc(model.host.name))</a></p>
        <h1>\(esc(container.name)) \(ContainersView.stateBadge(container.state))\(container.health.map { $0.isEmpty || $0 == "none" ? "" : " " + ContainersView.healthBadge($0) } ?? "")\(ContainerSensitivity.isSensitive(container.labels) ? " " + WebHTML.badge("sensitive", tone: "warn") : "")</h1>
        <p class="muted"><code>\(esc(container.image ?? "—"))</code> on \(esc(model.host.name))\(container.removedAt.map { " · gone from the engine since " + WebFormat.time($0) } ?? "")</p>
        \(container.removedAt == nil && viewer.can(.operator) ? actions(container, base: base, viewer: viewer) : "")
        \(configuration(container))
        \(ports(container))
        \(mounts(container))
        \(labels(container))
        \(model.updates.map { UpdateRunsView.section($0, viewer: viewer) } ?? "")
        \(events(model.events))
        \(container.removedAt == nil ? live(model, base: base) : "")
        """
    }

    static func actions(_ container: ContainerDTO, base: String, viewer: WebViewer) -> String {
        var buttons: [String] = []
        switch container.state {
        case "running", "restarting":
            buttons = [WebHTML.actionButton("Stop", action: "\(base)/stop", viewer: viewer, style: "secondary"),
                       WebHTML.actionButton("Restart", action: "\(base)/restart", viewer: viewer, style: "secondary"),
                       WebHTML.actionButton("Pause", action: "\(base)/pause", viewer: viewer, style: "secondary")]
        case "paused":
            buttons = [WebHTML.actionButton("Unpause", action: "\(base)/unpause", viewer: viewer)]
        default:
            buttons = [WebHTML.actionButton("Start", action: "\(base)/start", viewer: viewer)]
        }
        let running = container.state == "running" || container.state == "paused" || container.state == "restarting"
        let remove = """
        <form method="post" action="\(base)/remove" class="inline" data-confirm="Remove \(WebHTML.esc(container.name))? Its anonymous volumes go with it.">\(viewer.csrfField)\
        \(running ? "<input type=\"hidden\" name=\"force\" value=\"true\">" : "")<button type="submit" class="danger">\(running ? "Force remove" : "Remove")</button></form>
        """
        return "<div class=\"actions\">\(buttons.joined())\(remove)</div>"
    }

    static func configuration(_ container: ContainerDTO) -> String {
        let esc = WebHTML.esc
        var rows: [(String, String)] = [
            ("Engine id", "<code>\(esc(String(container.engineId.prefix(12))))</code>"),
            ("Image id", container.imageId.map { "<code>\(esc($0))</code>" } ?? "—"),
            ("Repo digests", container.repoDigests.isEmpty ? "— (built or loaded locally)" : container.repoDigests.map { "<code>\(esc($0))</code>" }.joined(separator: "<br>")),
            ("Created", WebFormat.time(container.created)),
            ("Started", WebFormat.time(container.started)),
            ("Finished", WebFormat.time(container.finished)),
            ("Restart policy", esc(container.restartPolicy ?? "—")),
            ("Restarts", String(container.restartCount)),
            ("Exit code", container.exitCode.map(String.init) ?? "—"),
            ("OOM-killed", container.oomKilled ? WebHTML.badge("yes", tone: "bad") : "no"),
            ("Networks", container.networks.isEmpty ? "—" : esc(container.networks.joined(separator: ", "))),
            ("Environment", container.envNames.isEmpty ? "—" : container.envNames.map { "<code>\(esc($0))</code>" }.joined(separator: " ")
                + " <small class=\"muted\">(names only: Unity never stores the values)</small>"),
        ]
        if let pod = container.pod { rows.append(("Pod", "<code>\(esc(pod))</code>")) }
        if let compose = container.compose {
            rows.append(("Compose", "project <strong>\(esc(compose.project))</strong>\(compose.service.map { ", service <strong>\(esc($0))</strong>" } ?? "")"
                         + (compose.workingDir.map { " in <code>\(esc($0))</code>" } ?? "")
                         + (compose.configFiles.isEmpty ? "" : " (" + compose.configFiles.map { "<code>\(esc($0))</code>" }.joined(separator: ", ") + ")")))
        }
        let list = rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined()
        return "<section class=\"card\" id=\"configuration\" aria-labelledby=\"config-h\"><h2 id=\"config-h\">Configuration</h2><dl class=\"facts\">\(list)</dl></section>"
    }

    static func ports(_ container: ContainerDTO) -> String {
        let esc = WebHTML.esc
        let rows = container.ports.map { port in
            [esc(port.containerPort), port.hostPort.map { "<code>\(esc(port.hostIP ?? "0.0.0.0")):\(esc($0))</code>" } ?? "<span class=\"muted\">not published</span>"]
        }
        return "<section class=\"card\" id=\"ports\" aria-labelledby=\"ports-h\"><h2 id=\"ports-h\">Ports</h2>\(WebHTML.table(headers: ["Container", "Host"], rows: rows, empty: "No ports."))</section>"
    }

    static func mounts(_ container: ContainerDTO) -> String {
        let esc = WebHTML.esc
        let rows = container.mounts.map { mount in
            [esc(mount.kind.replacingOccurrences(of: "_", with: " ")), mount.name.map { "<code>\(esc($0))</code>" } ?? "—",
             mount.source.map { "<code>\(esc($0))</code>" } ?? "—", "<code>\(esc(mount.destination))</code>", mount.readWrite ? "read-write" : "read-only"]
        }
        return "<section class=\"card\" id=\"mounts\" aria-labelledby=\"mounts-h\"><h2 id=\"mounts-h\">Mounts</h2>\(WebHTML.table(headers: ["Kind", "Volume", "Source", "Destination", "Mode"], rows: rows, empty: "No mounts."))</section>"
    }

    static func labels(_ container: ContainerDTO) -> String {
        let esc = WebHTML.esc
        let rows = container.labels.sorted { $0.key < $1.key }.map { ["<code>\(esc($0.key))</code>", "<code>\(esc($0.value))</code>"] }
        return "<section class=\"card\" id=\"labels\" aria-labelledby=\"labels-h\"><h2 id=\"labels-h\">Labels</h2>\(WebHTML.table(headers: ["Label", "Value"], rows: rows, empty: "No labels."))</section>"
    }

    static func events(_ events: [(kind: String, detail: String?, at: Date)]) -> String {
        let esc = WebHTML.esc
        let rows = events.map { [WebFormat.time($0.at), esc($0.kind.replacingOccurrences(of: "_", with: " ")), esc($0.detail ?? "")] }
        return """
        <section class="card" id="events" aria-labelledby="events-h"><h2 id="events-h">State changes</h2>
        \(WebHTML.table(headers: ["When", "Change", "Detail"], rows: rows, empty: "No state changes recorded yet (they are seen between discoveries)."))</section>
        """
    }

    /// Logs and stats come from the engine through fragments the script fetches; without the script
    /// the links open them as pages.
    static func live(_ model: ContainerDetailModel, base: String) -> String {
        guard model.liveStateAllowed else {
            return "<section class=\"card\" id=\"logs\"><h2>Logs and stats</h2><p class=\"muted\">This container is labelled <code>\(ContainerSensitivity.label)=true</code>: its logs, processes and stats are for operators and admins.</p></section>"
        }
        let running = model.container.state == "running"
        return """
        <section class="card" id="stats" aria-labelledby="stats-h"\(running ? " data-container-stats=\"\(base)/stats\"" : "")><h2 id="stats-h">Resource use</h2>
        <div data-stats-body>\(running ? "<p class=\"muted\"><a href=\"\(base)/stats\">Current CPU, memory, network and disk use</a></p>" : "<p class=\"muted\">Not running.</p>")</div>
        \(running ? "<svg class=\"sparkline\" viewBox=\"0 0 120 30\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"CPU use, last samples\"><polyline data-sparkline points=\"\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/></svg>" : "")</section>
        <section class="card" id="logs" aria-labelledby="logs-h" data-container-logs="\(base)/logs" data-logs-stream="\(WebHTML.esc(followStreamPath(model)))"><h2 id="logs-h">Logs</h2>
        <div class="actions"><label class="check"><input type="checkbox" data-logs-follow> Follow</label> <a href="\(base)/logs">Last 200 lines</a></div>
        <div data-logs-body><p class="muted">Loading the last lines…</p></div></section>
        """
    }
}

extension ContainerDetailView {
    /// The API's log stream (Server-Sent Events for the page's EventSource): the last lines the
    /// fragment shows, then new ones as they are written.
    static func followStreamPath(_ model: ContainerDetailModel) -> String {
        "/api/v1/containers/\(model.container.id.uuidString.lowercased())/logs?follow=true&tail=\(ContainerLivePages.logLines)"
    }
}

/// The label that keeps a container's output from viewers: logs can hold tokens and personal data.
enum ContainerSensitivity {
    static let label = "unity.sensitive"

    static func isSensitive(_ labels: [String: String]) -> Bool {
        guard let value = labels[label]?.lowercased() else { return false }
        return ["true", "1", "yes"].contains(value)
    }
}
