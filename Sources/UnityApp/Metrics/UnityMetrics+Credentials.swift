import Prometheus

/// Outcome counters of the credential jobs, so a dashboard shows failing renewals, deployments
/// and distributions without reading the audit log. Counted by the replica that did the work.
extension UnityMetrics {
    func recordDistribution(operation: String, outcome: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "unity", subsystem: "key_distribution", metricName: "server_results", unitName: "total",
                              helpText: "Per-server results of SSH key install, revoke and rotate jobs, by operation and outcome."),
            labels: [("operation", operation), ("outcome", outcome)]
        ).increment()
    }

    func recordACMEAttempt(trigger: String, outcome: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "unity", subsystem: "acme", metricName: "attempts", unitName: "total",
                              helpText: "ACME issuance and renewal attempts, by trigger (create, renew, task) and outcome."),
            labels: [("trigger", trigger), ("outcome", outcome)]
        ).increment()
    }

    func recordCertificateDeployment(outcome: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "unity", subsystem: "certificate", metricName: "deployments", unitName: "total",
                              helpText: "Certificate deployments over SSH, by outcome (deployed, renewed_but_not_served, reload_failed, ...)."),
            labels: [("outcome", outcome)]
        ).increment()
    }

    func recordServedCheck(verdict: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "unity", subsystem: "certificate", metricName: "served_checks", unitName: "total",
                              helpText: "Daily checks of deployed certificates against what the service presents, by verdict."),
            labels: [("verdict", verdict)]
        ).increment()
    }
}
