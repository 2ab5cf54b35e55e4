import Foundation
import Testing
@testable import UnityApp

/// The new pages rendered from fixed models: badges, escaping, secrets, and what each role is offered.
@Suite struct WebCredentialViewTests {
    typealias V = WebViewTests

    static func certificate(state: String, days: Int, key: Bool = true) -> CertificateDTO {
        var cert = CertificateDTO.example
        cert.id = UUID(); cert.name = V.hostile; cert.state = state; cert.daysLeft = days; cert.hasPrivateKey = key
        return cert
    }

    @Test func inventoryShowsExpiryBadgesAndHidesFormsFromViewers() {
        let model = CertificateListModel(certificates: [Self.certificate(state: "valid", days: 80), Self.certificate(state: "expiring", days: 12),
                                                        Self.certificate(state: "expired", days: -3)], state: "expiring", authority: nil)
        let html = CertificatesView.body(model, viewer: V.viewer)
        #expect(html.contains("badge-ok\">valid") && html.contains("80 d left"))
        #expect(html.contains("badge-warn\">expiring") && html.contains("12 d left"))
        #expect(html.contains("badge-bad\">expired") && html.contains("expired 3 d ago"))
        #expect(html.contains("<option value=\"expiring\" selected>"))
        #expect(!html.contains("Issue certificate") && !html.contains("Import certificate") && !html.contains("Create the internal CA"))
        V.expectEscaped(html)
        let forOperator = CertificatesView.body(model, viewer: V.operatorUser)
        #expect(forOperator.contains("action=\"/certificates/issue\"") && forOperator.contains("name=\"csrf_token\" value=\"csrf-operator\""))
        #expect(!forOperator.contains("Create the internal CA"))
        #expect(CertificatesView.body(model, viewer: V.admin).contains("Create the internal CA"))
    }

    @Test func importFormKeepsCertificateButNeverTheKey() {
        let form = FormState(values: ["certificate_pem": "PEM-TEXT", "private_key_pem": "KEY-UNITYCANARY"], error: .validation("private_key_pem", "does not match"),
                             fields: CertificatesView.importFields)
        let html = CertificatesView.importForm(form, viewer: V.operatorUser)
        #expect(html.contains(">PEM-TEXT</textarea>") && html.contains("id=\"f-private_key_pem-error\">does not match"))
        #expect(!html.contains("UNITYCANARY"))
    }

    @Test func detailOffersDeployAndRevealToOperatorsWhenTheKeyIsHeld() throws {
        let cert = Self.certificate(state: "valid", days: 80)
        let servers = [(id: UUID(), name: "nas")]
        let deployment = try #require(try? JSONDecoder().decode(CertificateDeploymentDTO.self, from: JSONEncoder().encode(CertificateDeploymentDTO.example)))
        let forViewer = CertificateDetailView.body(cert, servers: servers, deployments: [deployment], form: .empty, viewer: V.viewer)
        // Viewers see where it is deployed and whether it is served, but no control to change it.
        #expect(!forViewer.contains("Deploy to a server") && !forViewer.contains("Deploy again") && !forViewer.contains("/forget\"")
                && !forViewer.contains("reveal-key") && forViewer.contains("nas tls:443"))
        #expect(forViewer.contains("/etc/nginx/tls/nas.crt") && forViewer.contains("badge-ok\">serving"))
        V.expectEscaped(forViewer)
        let forOperator = CertificateDetailView.body(cert, servers: servers, form: .empty, viewer: V.operatorUser)
        #expect(forOperator.contains("/deploy\">") && forOperator.contains("/reveal-key\">Reveal private key") && forOperator.contains(">nas</option>"))
        let noKey = CertificateDetailView.body(Self.certificate(state: "valid", days: 80, key: false), servers: servers, form: .empty, viewer: V.operatorUser)
        #expect(!noKey.contains("/deploy\">") && noKey.contains("import it with the key"))
    }

    @Test func renewedButNotServedReadsAsAFailure() {
        let notServed = CertificateDetailPages.outcomeText(DeployResultDTO(ok: false, outcome: "renewed_but_not_served", servedSerial: "1f", message: "old certificate"))
        #expect(notServed.hasPrefix("Deploy failed — renewed but not served") && notServed.contains("1f"))
        #expect(CertificateDetailPages.outcomeText(DeployResultDTO(ok: true, outcome: "deployed", servedSerial: "2a", message: nil)).hasPrefix("Deployed and verified"))
        #expect(CertificateDetailPages.outcomeText(DeployResultDTO(ok: false, outcome: "reload_failed", servedSerial: nil, message: "exit 1")) == "Deploy failed (reload failed): exit 1.")
    }

    @Test func loginFormsNeverShowPasswords() {
        var login = ServerCredentialDTO.example
        login.name = V.hostile; login.hasPassword = true
        let list = ServerLoginsView.body([login], keys: [], form: .empty, viewer: V.viewer)
        #expect(list.contains("set") && !list.contains("Add a login") && !list.contains("Edit</a>"))
        V.expectEscaped(list)
        let form = FormState(values: ["password": "UNITYCANARY"], error: .validation("username", "is required"), fields: ServerLoginsView.formFields)
        let edit = ServerLoginsView.editPage(login, keys: [], form: form, viewer: V.operatorUser)
        #expect(edit.contains("type=\"password\" value=\"\"") && !edit.contains("UNITYCANARY") && edit.contains("Remove the password"))
    }

    @Test func jobPageRefreshesOnlyWhileRunningAndShowsEachServer() {
        var job = DistributionDTO.example
        job.status = "running"
        let names = [job.serverIds[0]: "nas"]
        let running = DistributionsView.jobPage(job, keyNames: [:], serverNames: names, viewer: V.viewer)
        #expect(running.contains("<meta http-equiv=\"refresh\" content=\"2\">"))
        #expect(running.contains("badge-bad\">failed restored") && running.contains("the new key was refused") && running.contains("1 of 1 servers"))
        job.status = "partial"
        #expect(!DistributionsView.jobPage(job, keyNames: [:], serverNames: names, viewer: V.viewer).contains("http-equiv"))
    }

    @Test func alertListOffersBulkAndMaintenanceToOperatorsOnly() {
        var alert = AlertDTO.example
        alert.status = "firing"
        let maintenance = AlertMaintenanceModel(global: false, servers: [(id: UUID(), name: V.hostile)], inMaintenance: [])
        let model = AlertListModel(alerts: [alert], total: 1, status: "", severity: "", source: "", maintenance: maintenance)
        let forViewer = AlertsView.body(model, viewer: V.viewer)
        #expect(!forViewer.contains("bulk-alerts") && !forViewer.contains("/alerts/maintenance") && forViewer.contains("Maintenance mode"))
        let forOperator = AlertsView.body(model, viewer: V.operatorUser)
        #expect(forOperator.contains("form=\"bulk-alerts\" name=\"ids\" value=\"\(alert.id.uuidString.lowercased())\""))
        #expect(forOperator.contains("action=\"/alerts/bulk\" id=\"bulk-alerts\"") && forOperator.contains("action=\"/alerts/maintenance\""))
        V.expectEscaped(forOperator)
    }
}
