import Fluent
import Foundation
import UnityCertificates

/// The daily `served-certificates` task: for every remembered deployment, connect to the service
/// and compare the serial it presents with the inventory's current certificate. A service still
/// presenting an old certificate (a reload that never happened, a config pointing elsewhere) is
/// "not served" and alerts; one that serves the right certificate resolves it.
enum ServedCertificateCheck {
    static let task = ScheduledTask(name: "served-certificates", summary: "Check that every deployed certificate is the one its service presents",
                                    interval: 86_400, jitter: 1_800) { context in
        try await run(database: context.database, services: context.application.unity, now: Date())
    }

    static func run(database: any Database, services: UnityServices, now: Date) async throws -> String {
        let deployments = try await CertificateDeploymentRecord.query(on: database).all()
        var serving = 0, notServing = 0, unreachable = 0
        for deployment in deployments {
            guard let certificate = try await CertificateRecord.find(deployment.certificateID, on: database),
                  let server = try await MonitoredServer.find(deployment.serverID, on: database) else {
                // The certificate or server is gone: the deployment means nothing any more.
                try await deployment.delete(on: database)
                continue
            }
            let sni = deployment.verifyServerName ?? JSONList.decode(certificate.sans).first
            let verdict: String
            if let served = try? await ServedCertificateProbe().probe(host: server.address, port: deployment.verifyPort, serverName: sni, timeout: .seconds(5)) {
                let matches = served.leaf?.serialHex == certificate.serial
                verdict = matches ? "serving" : "not_serving"
                deployment.servedSerial = served.leaf?.serialHex
                let detail = matches ? "" : "port \(deployment.verifyPort) presents serial \(served.leaf?.serialHex ?? "none"), expected \(certificate.serial)"
                try await services.alerts.observe([CertificateDeployments.notServed(certificate, server: server, served: matches, detail: detail, at: now)])
            } else {
                // Unreachable is the monitoring's business (server down); it says nothing about
                // which certificate is served, so the alert state is left as it was.
                verdict = "unreachable"
            }
            switch verdict {
            case "serving": serving += 1
            case "not_serving": notServing += 1
            default: unreachable += 1
            }
            deployment.verification = verdict
            deployment.verifiedAt = now
            try await deployment.save(on: database)
            services.metrics.recordServedCheck(verdict: verdict)
        }
        return "\(serving) serving, \(notServing) not serving, \(unreachable) unreachable"
    }
}
