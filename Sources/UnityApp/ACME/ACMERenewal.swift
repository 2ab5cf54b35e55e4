import Fluent
import Foundation
import UnityACME

/// The daily `acme-renewal` task: renews each order whose certificate RenewalPolicy says is due
/// (one third of its lifetime left, or inside the CA's ARI window), and retries failed first
/// issuances. Each attempt is recorded on the order and observed as `acme.renewal_failed`.
enum ACMERenewal {
    static let task = ScheduledTask(name: "acme-renewal", summary: "Renew ACME certificates when due (1/3 of lifetime left or ARI window)",
                                    interval: 86_400, jitter: 1_800) { context in
        try await run(context, now: Date())
    }

    static func run(_ context: TaskContext, now: Date) async throws -> String {
        let orders = try await ACMEOrderRecord.query(on: context.database).filter(\.$status != "revoked").all()
        var renewed = 0, failed = 0, notDue = 0
        for order in orders {
            guard try await isDue(order, context: context, now: now) else {
                notDue += 1
                continue
            }
            // Someone's "renew now" may be running it already; that attempt will do.
            let jobs = context.application.unity.jobs
            guard let attempt = try? await ACMEJobs.claim(order.requireID(), trigger: "task", ownership: jobs.ownership, on: context.database),
                  let attemptID = attempt.id else { continue }
            // Through the runner, so the attempt has a heartbeat and shutdown ends it as interrupted;
            // the task waits for it, so attempts still run one after another.
            let database = context.database, application = context.application, logger = context.logger
            await jobs.start(ACMEAttemptKind(), id: attemptID) {
                do {
                    try await ACMEIssuer.attempt(order, attempt: attempt, application: application, db: database)
                } catch {
                    // Recorded on the order and raised as an alert by `attempt`; the others still run.
                    logger.warning("ACME renewal of \(order.names) failed: \(ACMEIssuer.describe(error))")
                }
            }.value
            if try await ACMEAttemptRecord.find(attemptID, on: database)?.outcome == ACMEAttemptRecord.Outcome.succeeded.rawValue {
                renewed += 1
            } else {
                failed += 1
            }
        }
        return "\(renewed) renewed, \(failed) failed, \(notDue) not due"
    }

    /// Asks the CA for ARI when it offers it, so a CA-announced early window (mass revocation)
    /// is honoured; without ARI (or if the CA is unreachable) the lifetime rule decides.
    static func isDue(_ order: ACMEOrderRecord, context: TaskContext, now: Date) async throws -> Bool {
        guard let id = order.certificateID, let certificate = try await CertificateRecord.find(id, on: context.database) else {
            return true
        }
        var ari: RenewalInfo?
        if let account = try await ACMEAccountRecord.find(order.accountID, on: context.database) {
            ari = try? await ACMEIssuer.withClient(account, secrets: context.application.unity.secrets) { client, _ in
                try await client.renewalInfo(certificatePEM: certificate.certificatePEM)
            }
        }
        return RenewalPolicy.shouldRenew(notBefore: certificate.notBefore, notAfter: certificate.notAfter, ari: ari, now: now)
    }
}
