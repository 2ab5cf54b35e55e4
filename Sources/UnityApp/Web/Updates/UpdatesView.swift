import Foundation

/// The updates page (what is available, why a check is unknown, skip, pin, check now) and the
/// update badge the containers list shows.
struct UpdatesModel: Sendable {
    var updates: [ContainerUpdateDTO]
    var hostNames: [UUID: String]
}

enum UpdatesView {
    static let statusOptions: [(value: String, label: String)] = [
        ("", "Any update status"), ("update_available", "Update available"), ("up_to_date", "Up to date"),
        ("unknown", "Unknown"), ("pinned", "Pinned"), ("skipped", "Not watched"), ("not_checked", "Not checked yet"),
    ]

    /// The containers list's Update cell.
    static func badge(_ update: ContainerUpdateDTO?) -> String {
        let esc = WebHTML.esc
        guard let update else { return "<span class=\"muted\" data-update-status>—</span>" }
        let stale = update.stale ? " <span class=\"muted\" title=\"the last check failed; this is the one before\">(stale)</span>" : ""
        let cell: String = switch update.status {
        case "update_available":
            update.kind == "digest"
                ? WebHTML.badge("rebuilt", tone: "warning")
                : WebHTML.badge("\(update.candidateTag ?? "newer") (\(update.kind ?? "version"))", tone: "warning")
        case "up_to_date": WebHTML.badge("up to date", tone: "ok")
        case "pinned": WebHTML.badge("pinned", tone: "muted")
        case "skipped": WebHTML.badge("not watched", tone: "muted")
        case "not_checked": "<span class=\"muted\">not checked</span>"
        default: "<span class=\"muted\" title=\"\(esc(update.reason ?? ""))\">unknown</span>"
        }
        return "<span data-update-status=\"\(esc(update.status))\">\(cell)\(stale)</span>"
    }

    static func body(_ model: UpdatesModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let available = model.updates.filter { $0.status == "update_available" }
        let unknown = model.updates.filter { $0.status == "unknown" || $0.stale }
        let pinned = model.updates.filter { $0.status == "pinned" }
        func name(_ update: ContainerUpdateDTO) -> String {
            "<a href=\"/containers/\(update.containerId.uuidString.lowercased())\">\(esc(update.containerName))</a>"
                + " <span class=\"muted\">on \(esc(model.hostNames[update.hostId] ?? "?"))</span>"
        }
        func actions(_ update: ContainerUpdateDTO, skip: Bool) -> String {
            guard viewer.can(.operator) else { return "" }
            let id = update.containerId.uuidString.lowercased()
            return [skip ? WebHTML.actionButton("Skip this version", action: "/updates/\(id)/skip", viewer: viewer, style: "secondary") : "",
                    WebHTML.actionButton(update.pinned ? "Unpin" : "Pin", action: "/updates/\(id)/pin", viewer: viewer, style: "secondary",
                                         hidden: ["pinned": update.pinned ? "false" : "true"]),
                    WebHTML.actionButton("Check now", action: "/updates/\(id)/check", viewer: viewer, style: "secondary")].joined(separator: " ")
        }
        let availableRows = available.map { update -> [String] in
            let change = update.kind == "digest"
                ? "\(esc(update.currentTag ?? "tag")) rebuilt: <code>\(esc(String(update.candidateDigest?.prefix(19) ?? "")))</code>"
                : "\(esc(update.currentTag ?? "?")) → <strong>\(esc(update.candidateTag ?? "?"))</strong>"
                    + (update.intermediateCount.map { $0 > 0 ? " <span class=\"muted\">(\($0) releases in between)</span>" : "" } ?? "")
            return [name(update), "<code>\(esc(update.image ?? "—"))</code>", change, WebHTML.badge(update.kind ?? "?", tone: "warning"),
                    WebFormat.time(update.checkedAt), actions(update, skip: true)]
        }
        let unknownRows = unknown.map { update -> [String] in
            [name(update), "<code>\(esc(update.image ?? "—"))</code>", esc(update.reason ?? "—"),
             update.stale ? "last good: \(esc(update.lastGoodStatus ?? "none")) at \(WebFormat.time(update.lastGoodCheckedAt))" : "—",
             actions(update, skip: false)]
        }
        let pinnedRows = pinned.map { [name($0), "<code>\(esc($0.image ?? "—"))</code>", actions($0, skip: false)] }
        let checkAll = viewer.can(.operator) ? WebHTML.actionButton("Check all now", action: "/updates/check", viewer: viewer) : ""
        let registries = viewer.can(.admin) ? " <a href=\"/admin/registries\">Registry credentials</a>" : ""
        return """
        <h1>Updates</h1>
        <p class="actions">\(checkAll)\(registries)</p>
        <p class="muted">Checked every 6 hours against each image's registry: one request per distinct image and tag. Labels choose what is watched (see the README's "Container updates").</p>
        <section class="card" aria-labelledby="available-h"><h2 id="available-h">Available (\(available.count))</h2>
        \(WebHTML.table(headers: ["Container", "Image", "Change", "Kind", "Checked", ""], rows: availableRows, empty: "Every checked container is up to date."))</section>
        <section class="card" aria-labelledby="unknown-h"><h2 id="unknown-h">Unknown or stale (\(unknown.count))</h2>
        \(WebHTML.table(headers: ["Container", "Image", "Why", "Last good", ""], rows: unknownRows, empty: "No failed checks."))</section>
        <section class="card" aria-labelledby="pinned-h"><h2 id="pinned-h">Pinned (\(pinned.count))</h2>
        \(WebHTML.table(headers: ["Container", "Image", ""], rows: pinnedRows, empty: "Nothing pinned."))</section>
        """
    }
}
