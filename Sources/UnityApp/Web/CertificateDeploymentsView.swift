import Foundation

/// Where a certificate is deployed: each place with its last deploy and the daily check's verdict,
/// and (operators) deploy again or forget.
enum CertificateDeploymentsView {
    static func verdictBadge(_ verdict: String?) -> String {
        guard let verdict else { return WebHTML.badge("not checked", tone: "muted") }
        let tone = ["serving": "ok", "not_serving": "bad"][verdict] ?? "warn"
        return WebHTML.badge(verdict.replacingOccurrences(of: "_", with: " "), tone: tone)
    }

    static func section(_ deployments: [CertificateDeploymentDTO], base: String, viewer: WebViewer) -> String {
        let esc = WebHTML.esc
        let rows = deployments.map { deployment -> [String] in
            let place = "\(base)/deployments/\(deployment.id.uuidString.lowercased())"
            let actions = viewer.can(.operator)
                ? WebHTML.actionButton("Deploy again", action: "\(place)/deploy", viewer: viewer)
                    + WebHTML.actionButton("Forget", action: "\(place)/forget", viewer: viewer, style: "secondary")
                : ""
            return [esc(deployment.serverName ?? "?"), "<code>\(esc(deployment.certificatePath))</code>", "<code>\(esc(deployment.reloadCommand))</code>",
                    String(deployment.verifyPort), esc((deployment.lastOutcome ?? "—").replacingOccurrences(of: "_", with: " ")),
                    verdictBadge(deployment.verification) + " " + WebFormat.time(deployment.verifiedAt), actions]
        }
        return """
        <section class="card" aria-labelledby="deployments-h"><h2 id="deployments-h">Deployments</h2>
        <p class="muted">Renewals are deployed to each of these places; every day Unity checks that the service presents the current certificate.</p>
        \(WebHTML.table(headers: ["Server", "Certificate file", "Reload", "Port", "Last deploy", "Served", ""], rows: rows, empty: "Not deployed by Unity yet."))</section>
        """
    }
}
