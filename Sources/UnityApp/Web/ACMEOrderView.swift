import Foundation

/// One ACME order: where its attempt is (refreshing while it runs), every attempt, and actions.
enum ACMEOrderView {
    static func body(_ order: ACMECertificateDTO, accountName: String?, attempts: [ACMEAttemptDTO], viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let base = "/credentials/acme/\(order.id.uuidString.lowercased())"
        let running = order.attempt?.outcome == "running"
        let progress = running
            ? "<meta http-equiv=\"refresh\" content=\"2\"><p class=\"muted\" role=\"status\" id=\"attempt-phase\">Working: \(esc(order.attempt?.phase.replacingOccurrences(of: "_", with: " ") ?? "")) — this page refreshes every 2 seconds.</p>"
            : ""
        let rows = attempts.map { attempt -> [String] in
            [WebFormat.time(attempt.startedAt), esc(attempt.trigger), ACMEView.attemptBadge(attempt), esc(attempt.serial ?? "—"),
             esc(attempt.deployments ?? "—"), esc(attempt.error ?? "")]
        }
        var actions = ""
        if viewer.can(.operator), order.status != "revoked" {
            let reasons = ACMERevokeBody.reasons.keys.sorted().map { (value: $0, label: $0) }
            actions = """
            <section class="card" aria-labelledby="actions-h"><h2 id="actions-h">Actions</h2><div class="actions">
            \(running ? "" : WebHTML.actionButton("Renew now", action: "\(base)/renew", viewer: viewer))
            \(WebHTML.actionButton("Stop renewing", action: "\(base)/delete", viewer: viewer, style: "secondary"))</div>
            \(order.certificateId == nil ? "" : """
            <form method="post" action="\(base)/revoke" data-confirm="Revoke this certificate at the CA?">\(viewer.csrfField)
            \(WebHTML.select("Revocation reason", name: "reason", options: reasons, selected: "superseded", form: .empty))
            <button type="submit" class="danger">Revoke at the CA</button></form>
            """)</section>
            """
        }
        let certificate = order.certificateId.map { "<a href=\"/certificates/\($0.uuidString.lowercased())\">in the inventory</a>" } ?? "not issued yet"
        return """
        <p><a href="/credentials/acme">← ACME</a></p>
        <h1>\(esc(order.names.joined(separator: ", "))) \(ACMEView.statusBadge(order.status))</h1>\(progress)
        <section class="card"><dl class="facts"><dt>Account</dt><dd>\(esc(accountName ?? "?"))</dd>
        <dt>Challenge</dt><dd>\(esc(order.challenge))\(order.dnsProvider.map { " via " + esc($0) } ?? "")\(order.httpPort.map { " on port \($0)" } ?? "")</dd>
        <dt>Key type</dt><dd>\(esc(order.keyType))</dd><dt>Certificate</dt><dd>\(certificate)</dd>
        <dt>Last attempt</dt><dd id="attempt-outcome">\(ACMEView.attemptBadge(order.attempt))</dd>
        <dt>Next renewal</dt><dd>\(WebFormat.time(order.nextRenewalAt))</dd>
        \(order.lastError.map { "<dt>Last error</dt><dd class=\"error\">\(esc($0))</dd>" } ?? "")</dl></section>
        \(actions)
        <section class="card" aria-labelledby="attempts-h"><h2 id="attempts-h">Attempts</h2>
        \(WebHTML.table(headers: ["Started", "Trigger", "Outcome", "Serial", "Deployments", "CA's answer"], rows: rows, empty: "No attempts yet."))</section>
        """
    }
}
