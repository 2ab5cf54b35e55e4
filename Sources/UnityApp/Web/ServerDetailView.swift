import Foundation
import UnityInfrastructure

/// One server: its latest snapshot, history charts and the actions on it.
struct ServerDetailModel: Sendable {
    var server: ServerDTO
    var snapshot: SnapshotDTO?
    var range: String
    var charts: [SVGChart]
    var hostKey: HostKeyDTO?
    /// The jump server this one is reached through, with its own pinned key and state.
    var jumpHost: JumpHostKeyModel?
    var extras: ServerExtras?
}

struct JumpHostKeyModel: Sendable {
    var id: UUID
    var name: String
    var hostKey: HostKeyDTO
}

enum ServerDetailView {
    static let ranges = ["1h", "24h", "7d", "30d"]

    static func body(_ model: ServerDetailModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let server = model.server
        let base = "/servers/\(server.id.uuidString.lowercased())"
        let rangeLinks = ranges.map { (range) -> String in
            "<a href=\"\(base)?range=\(range)\"\(range == model.range ? " aria-current=\"true\"" : "")>\(range)</a>"
        }.joined()
        let charts = model.charts.enumerated().map { $0.element.render(id: "chart-\($0.offset)") }.joined(separator: "\n")
        var actions = ""
        if viewer.can(.operator) {
            actions += WebHTML.actionButton("Test connection", action: "\(base)/test", viewer: viewer, style: "secondary")
            actions += WebHTML.actionButton("Collect now", action: "\(base)/collect", viewer: viewer)
            actions += " <a href=\"\(base)/edit\">Edit</a> · <a href=\"\(base)/delete\">Delete…</a>"
        }
        return """
        <p><a href="/servers">← Servers</a></p>
        <h1>\(esc(server.name)) \(ServersView.statusBadge(server.status.rawValue))</h1>
        <p class="muted"><code>\(esc(server.username))@\(esc(server.address)):\(server.port)</code>\(server.tags.isEmpty ? "" : " · " + esc(server.tags.joined(separator: ", ")))</p>
        \(server.lastError.map { "<p class=\"error\">Last error: \(esc($0))</p>" } ?? "")
        \(actions.isEmpty ? "" : "<div class=\"actions\">\(actions)</div>")
        \(hostKeySection(model, viewer: viewer, base: base))
        \(model.jumpHost.map(jumpHostSection) ?? "")
        \(overview(model.snapshot, server: server))
        <section class="card" aria-labelledby="history-h"><h2 id="history-h">History</h2>
        <p class="ranges">Range: \(rangeLinks) · <a href="\(base)/history">Every recorded metric…</a></p>
        <div class="charts">\(charts)</div></section>
        \(model.snapshot.map { StorageView.sections($0.snapshot) } ?? "")
        \(model.snapshot.map { problems($0) } ?? "")
        \(model.extras.map { ServerExtrasView.sections($0, viewer: viewer, base: base) } ?? "")
        """
    }

    static func overview(_ snapshot: SnapshotDTO?, server: ServerDTO) -> String {
        guard let dto = snapshot else {
            // A collection that ran and failed says why; only a server never tried is "not collected yet".
            if let attempted = server.lastCollectionAt {
                let why = server.lastError ?? "no answer was stored"
                return "<section class=\"card\"><h2>Overview</h2><p class=\"error\" id=\"collection-failed\">The collection at \(WebFormat.time(attempted)) failed: \(WebHTML.esc(why))</p></section>"
            }
            return "<section class=\"card\"><h2>Overview</h2><p class=\"muted\" id=\"no-snapshot\">Not collected yet. Use “Collect now”.</p></section>"
        }
        let esc = WebHTML.esc
        let s = dto.snapshot
        // (label, value HTML, attributes of the value: ids the end-to-end test reads)
        var facts: [(String, String, String)] = [
            ("Host name", esc(s.hostname ?? "—"), ""),
            ("System", esc(s.operatingSystem?.prettyName ?? s.operatingSystem?.name ?? "—"), ""),
            ("Kernel", esc([s.operatingSystem?.kernelRelease, s.operatingSystem?.architecture].compactMap { $0 }.joined(separator: " ")), ""),
            ("CPUs", s.cpuCount.map(String.init) ?? "—", ""),
            ("CPU busy", s.cpuPercent.map(WebFormat.percent) ?? "— (next cycle)", ""),
            ("Load", s.load.map { "\(WebFormat.number($0.one)) / \(WebFormat.number($0.five)) / \(WebFormat.number($0.fifteen))" } ?? "—", ""),
        ]
        if let memory = s.memory {
            let used = memory.totalBytes - min(memory.availableBytes, memory.totalBytes)
            facts.append(("Memory total", WebFormat.bytes(memory.totalBytes), " id=\"memory-total\" data-bytes=\"\(memory.totalBytes)\""))
            facts.append(("Memory used", "\(WebFormat.bytes(used)) (\(WebFormat.percent(memory.totalBytes > 0 ? Double(used) / Double(memory.totalBytes) * 100 : 0)))", ""))
        }
        facts.append(("Up for", s.uptimeSeconds.map(WebFormat.duration) ?? "—", ""))
        facts.append(("Collected", WebFormat.time(dto.collectedAt) + " (\(dto.durationMs) ms)", ""))
        let list = facts.map { fact in "<dt>\(fact.0)</dt><dd\(fact.2)>\(fact.1)</dd>" }.joined()
        let filesystems = s.filesystems.map { fs in
            let total = fs.usedBytes + fs.availableBytes
            let percent = total > 0 ? Double(fs.usedBytes) / Double(total) * 100 : 0
            return ["<code>\(esc(fs.mountPoint))</code>", esc(fs.filesystem), esc(fs.type ?? ""), WebFormat.bytes(fs.sizeBytes),
                    "<progress max=\"100\" value=\"\(String(format: "%.1f", percent))\" aria-label=\"\(esc(fs.mountPoint)) used\"></progress> \(WebFormat.percent(percent))"]
        }
        return """
        <section class="card" aria-labelledby="overview-h"><h2 id="overview-h">Overview</h2><dl class="facts">\(list)</dl>
        <h3>Filesystems</h3>
        \(WebHTML.table(headers: ["Mount", "Device", "Type", "Size", "Used"], rows: filesystems, empty: "No filesystems reported."))
        </section>
        """
    }

    static func hostKeySection(_ model: ServerDetailModel, viewer: WebViewer, base: String) -> String {
        guard let hostKey = model.hostKey else { return "" }
        let esc = WebHTML.esc
        guard let presented = hostKey.presented else {
            let keys = hostKey.pinned.map { "<li><code class=\"pinned-fingerprint\">\(esc($0.fingerprint))</code> (\(esc($0.algorithm)))</li>" }.joined()
            return """
            <section class="card" aria-labelledby="hostkey-h"><h2 id="hostkey-h">Host key</h2>
            \(keys.isEmpty ? "<p class=\"muted\">No host key pinned yet: the first key seen on connecting is trusted and pinned.</p>" : "<p>Pinned:</p><ul>\(keys)</ul>")</section>
            """
        }
        let pinned = hostKey.pinned.map { "<li><code>\(esc($0.fingerprint))</code> (\(esc($0.algorithm)))</li>" }.joined()
        let accept = viewer.can(.admin) ? """
        <form method="post" action="\(base)/host-key/accept">\(viewer.csrfField)
        <input type="hidden" name="fingerprint" value="\(esc(presented.fingerprint))">
        \(WebHTML.checkbox("I compared this fingerprint with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub)", name: "confirm", checked: false))
        <button type="submit" class="danger">Accept new host key</button></form>
        """ : "<p class=\"muted\">An admin must review and accept the new key.</p>"
        return """
        <section class="card" aria-labelledby="hostkey-h"><h2 id="hostkey-h" class="error">Host key changed</h2>
        <p>The server presented <code id="presented-fingerprint">\(esc(presented.fingerprint))</code> (\(esc(presented.algorithm))).
        Unity pinned:</p><ul>\(pinned)</ul>\(accept)</section>
        """
    }

    /// The bastion's key matters as much as the server's: its credential is offered to whatever answers there.
    static func jumpHostSection(_ jump: JumpHostKeyModel) -> String {
        let esc = WebHTML.esc
        let link = "<a href=\"/servers/\(jump.id.uuidString.lowercased())\">\(esc(jump.name))</a>"
        let keys = jump.hostKey.pinned.map { "<li><code class=\"jump-pinned-fingerprint\">\(esc($0.fingerprint))</code> (\(esc($0.algorithm)))</li>" }.joined()
        let state: String
        if let presented = jump.hostKey.presented {
            state = "<p class=\"error\" id=\"jump-host-key-changed\">Host key changed: \(link) presented <code>\(esc(presented.fingerprint))</code>. "
                + "Nothing is sent through it until an admin reviews the key on its page.</p>"
        } else if keys.isEmpty {
            state = "<p class=\"muted\">No host key pinned yet for \(link): the first key seen is trusted and pinned on its row.</p>"
        } else {
            state = "<p>Reached through \(link) \(ServersView.statusBadge(jump.hostKey.status.rawValue)).</p>"
        }
        let pinned = keys.isEmpty ? "" : "<p>Pinned for \(esc(jump.name)):</p><ul>\(keys)</ul>"
        return "<section class=\"card\" aria-labelledby=\"jumpkey-h\"><h2 id=\"jumpkey-h\">Jump host key</h2>\n\(state)\(pinned)</section>"
    }

    static func problems(_ dto: SnapshotDTO) -> String {
        let esc = WebHTML.esc
        let errors = dto.errors.map { ["<code>\(esc($0.section))</code>", esc(kindLabel($0.kind)), esc($0.message)] }
        let unavailable = dto.snapshot.unavailable.sorted { $0.key < $1.key }.map { ["<code>\(esc($0.key))</code>", "not installed", esc($0.value)] }
        guard !errors.isEmpty || !unavailable.isEmpty else { return "" }
        return """
        <section class="card" aria-labelledby="problems-h"><h2 id="problems-h">Not collected</h2>
        \(WebHTML.table(headers: ["Section", "Why", "Details"], rows: errors + unavailable, empty: ""))</section>
        """
    }

    static func kindLabel(_ kind: String) -> String {
        switch kind {
        case "not_installed": "not installed"
        case "permission_denied": "permission denied"
        case "timed_out": "timed out"
        case "unreadable_output": "unreadable output"
        case "incomplete": "run cut short"
        default: "failed"
        }
    }
}
