import Foundation
import UnityContainers

/// What the container page shows about updates: the "Update now" form (operators) with a plain
/// statement of what will happen, the active run, and the container's update history.
struct ContainerUpdateSectionModel: Sendable {
    var containerID: UUID
    var containerName: String
    /// The reference the last check found, nil when none is known.
    var candidate: String?
    var active: UpdateRunDTO?
    var history: [UpdateRunDTO]
    /// The options the update would run with when they are known without a policy (no policies installed).
    var knownOptions: UpdateApplyOptions?
    var backupsInstalled: Bool
    /// Gone from the engine: history only.
    var removed: Bool
}

enum UpdateRunsView {
    static func section(_ model: ContainerUpdateSectionModel, viewer: WebViewer) -> String {
        let rows = model.history.map { run in
            [runLink(run), WebFormat.time(run.startedAt), stateBadge(run.state),
             "<code>\(WebHTML.esc(run.fromTag ?? run.fromReference ?? "?"))</code> → <code>\(WebHTML.esc(run.toReference))</code>",
             WebHTML.esc(run.requestedBy) + (run.trigger == "manual" ? "" : " <small class=\"muted\">(\(WebHTML.esc(run.trigger)))</small>"),
             run.durationSeconds.map { WebFormat.duration($0) } ?? "—"]
        }
        return """
        <section class="card" id="updates" aria-labelledby="updates-h"><h2 id="updates-h">Updates</h2>
        \(model.removed ? "" : form(model, viewer: viewer))
        \(WebHTML.table(headers: ["Run", "Started", "State", "From → to", "Requested by", "Took"], rows: rows, empty: "No update has run on this container yet."))</section>
        """
    }

    /// The confirmation says what will happen: backup or not, the health gate, and for admins the
    /// window override; the same text is asked again by the browser before the form is sent.
    static func form(_ model: ContainerUpdateSectionModel, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        if let active = model.active {
            return "<p role=\"status\">An update is running: \(runLink(active)) (\(esc(active.state))).</p>"
        }
        guard viewer.can(.operator) else { return "" }
        let backup: String, gate: String
        if let options = model.knownOptions {
            backup = options.requireBackup ? (model.backupsInstalled ? "yes, before anything is stopped" : "required, but no backup support is installed: the update will fail") : "no"
            gate = "the new container must be healthy within \(options.healthGate.healthyTimeoutSeconds) s (with a HEALTHCHECK), otherwise stay running with no restart for \(options.healthGate.stableSeconds) s"
        } else {
            backup = model.backupsInstalled ? "as the container's update policy asks" : "no (no backup support is installed)"
            gate = "as the container's update policy sets it"
        }
        let steps = "Unity pulls the image, keeps the old one for a rollback, renames the old container, creates the new one from its configuration, "
            + "stops the old one and starts the new one. If the health gate fails, the old container is put back and started."
        let confirm = "Update \(model.containerName) to \(model.candidate ?? "the image you named")? Backup: \(backup). Health gate: \(gate)."
        let override = viewer.can(.admin)
            ? "<label class=\"check\"><input type=\"checkbox\" name=\"override_window\" value=\"true\"> Update even outside the maintenance window (recorded in the audit log)</label>"
            : "<p class=\"muted\">Outside a maintenance window the update is deferred; only an admin can override the window.</p>"
        return """
        <form method="post" action="/containers/\(model.containerID.uuidString.lowercased())/update" data-confirm="\(esc(confirm))">\(viewer.csrfField)
        <dl class="facts"><dt>Update to</dt><dd><input name="candidate" value="\(esc(model.candidate ?? ""))" placeholder="registry/repository:tag" aria-label="Image to update to" size="48"></dd>
        <dt>Backup</dt><dd>\(esc(backup))</dd><dt>Health gate</dt><dd>\(esc(gate))</dd></dl>
        <p class="muted">\(esc(steps))</p>\(override)
        <div class="actions"><button type="submit">Update now</button></div></form>
        """
    }

    static func runLink(_ run: UpdateRunDTO) -> String {
        "<a href=\"/update-runs/\(run.id.uuidString.lowercased())\">\(run.id.uuidString.prefix(8).lowercased())</a>"
    }

    static func stateBadge(_ state: String) -> String {
        let tone = switch state {
        case "succeeded": "ok"
        case "failed": "bad"
        case "rolled_back", "deferred", "refused", "needs_approval": "warn"
        default: "info"
        }
        return WebHTML.badge(state.replacingOccurrences(of: "_", with: " "), tone: tone)
    }

    /// One run: where it is (the page refreshes every 2 s while it runs, as the job pages do), what
    /// the engine learned, and the journal line by line.
    static func run(_ run: UpdateRunDTO) -> String {
        let esc = WebHTML.esc
        let running = run.state == "running" || run.state == "queued"
        let refresh = running ? "<meta http-equiv=\"refresh\" content=\"2\"><p class=\"muted\" role=\"status\" id=\"run-progress\">Working: \(esc(run.steps?.last.map { "\($0.step.replacingOccurrences(of: "_", with: " ")) \($0.outcome)" } ?? "starting")) — this page refreshes every 2 seconds.</p>" : ""
        let facts = run.facts
        var rows: [(String, String)] = [
            ("Container", "<a href=\"/containers/\(run.containerId.uuidString.lowercased())\">\(esc(run.containerName))</a>"),
            ("From", "<code>\(esc(run.fromReference ?? "?"))</code>" + (run.fromDigest.map { "<br><code>\(esc($0))</code>" } ?? "")),
            ("To", "<code>\(esc(run.toReference))</code>" + (run.toDigest.map { "<br><code>\(esc($0))</code>" } ?? "")),
            ("Requested by", "\(esc(run.requestedBy)) (\(esc(run.trigger)))" + (run.overrideWindow ? " · " + WebHTML.badge("window overridden", tone: "warn") : "")),
            ("Started", WebFormat.time(run.startedAt)), ("Finished", WebFormat.time(run.finishedAt)),
        ]
        if let summary = run.summary { rows.append(("Outcome", esc(summary))) }
        for (label, value) in [("Old container", facts.oldContainerId.map { String($0.prefix(12)) }), ("Parked as", facts.parkedName),
                               ("Rollback image", facts.rollbackReference ?? facts.oldImageId), ("New container", facts.newContainerId.map { String($0.prefix(12)) }),
                               ("Backup", facts.backupId?.uuidString.lowercased())] {
            if let value { rows.append((label, "<code>\(esc(value))</code>")) }
        }
        let journal = (run.steps ?? []).map { step in
            [String(step.sequence), WebFormat.time(step.at), esc(step.step.replacingOccurrences(of: "_", with: " ")), stepBadge(step.outcome), esc(step.detail)]
        }
        return """
        <p><a href="/containers/\(run.containerId.uuidString.lowercased())#updates">← \(esc(run.containerName))</a></p>
        <h1>Update of \(esc(run.containerName)) \(stateBadge(run.state))</h1>\(refresh)
        <section class="card"><dl class="facts">\(rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined())</dl></section>
        <section class="card" id="journal" aria-labelledby="journal-h"><h2 id="journal-h">Journal</h2>
        \(WebHTML.table(headers: ["#", "When", "Step", "Outcome", "Detail"], rows: journal, empty: "No step recorded yet."))</section>
        """
    }

    static func stepBadge(_ outcome: String) -> String {
        WebHTML.badge(outcome, tone: outcome == "succeeded" ? "ok" : outcome == "failed" ? "bad" : outcome == "skipped" ? "warn" : "info")
    }
}
