import Foundation

/// The server page's containers tab: the engine found over SSH and its containers by state, or the
/// button that enables containers on this server.
enum ServerContainersSection {
    static func render(_ extras: ServerExtras, viewer: WebViewer, base: String) -> String {
        let esc = WebHTML.esc
        guard let host = extras.containerHost else {
            let enable = viewer.can(.admin) ? """
            <form method="post" action="\(base)/containers" class="inline-form">\(viewer.csrfField)
            \(WebHTML.field("Engine socket on this server (optional)", name: "socket_path", form: .empty, hint: "Leave empty for the default Docker or Podman socket"))
            <button type="submit">Enable containers</button></form>
            """ : "<p class=\"muted\">An admin can enable containers on this server.</p>"
            return """
            <section class="card" id="containers" aria-labelledby="containers-h"><h2 id="containers-h">Containers</h2>
            <p>Unity can inventory and manage Docker or Podman on this server through its SSH connection (no agent, no open port). The SSH user needs the <code>docker</code> group, or a rootless Podman socket (<code>systemctl --user enable --now podman.socket</code>).</p>
            \(enable)</section>
            """
        }
        let id = host.id.uuidString.lowercased()
        let engine = [host.engine, host.engineVersion].compactMap { $0 }.joined(separator: " ")
        let counts = extras.containerCounts.sorted { $0.key < $1.key }.map { "\($0.value) \(esc($0.key))" }.joined(separator: ", ")
        let discover = viewer.can(.operator) ? WebHTML.actionButton("Discover now", action: "/containers/hosts/\(id)/discover", viewer: viewer, style: "secondary") : ""
        return """
        <section class="card" id="containers" aria-labelledby="containers-h"><h2 id="containers-h">Containers \(ContainersView.hostStatusBadge(host.status))</h2>
        <p>\(esc(engine.isEmpty ? "Engine not detected yet" : engine))\(host.apiVersion.map { " · API " + esc($0) } ?? "")\(host.rootless ? " · rootless" : "") · discovered \(WebFormat.time(host.lastDiscoveredAt))</p>
        \(host.lastErrorMessage.map { "<p class=\"error\">\(esc($0))</p>" } ?? "")
        <p><a href="/containers?host_id=\(id)">\(counts.isEmpty ? "No containers" : counts)</a></p>\(discover)</section>
        """
    }
}
