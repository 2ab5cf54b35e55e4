import Prometheus

/// Outcome counters of the credential jobs, so a dashboard shows failing renewals, deployments
/// and distributions without reading the audit log. Counted by the replica that did the work.
extension UnityMetrics {
    func recordDistribution(operation: String, outcome: String) {
        increment("key_distribution", "server_results", "Per-server results of SSH key install, revoke and rotate jobs, by operation and outcome.",
                  [("operation", operation), ("outcome", outcome)])
    }

    func recordACMEAttempt(trigger: String, outcome: String) {
        increment("acme", "attempts", "ACME issuance and renewal attempts, by trigger (create, renew, task) and outcome.",
                  [("trigger", trigger), ("outcome", outcome)])
    }

    func recordCertificateDeployment(outcome: String) {
        increment("certificate", "deployments", "Certificate deployments over SSH, by outcome (deployed, renewed_but_not_served, reload_failed, ...).",
                  [("outcome", outcome)])
    }

    func recordServedCheck(verdict: String) {
        increment("certificate", "served_checks", "Daily checks of deployed certificates against what the service presents, by verdict.",
                  [("verdict", verdict)])
    }

    /// `unity_<subsystem>_<metric>_total`, one series per label set.
    private func increment(_ subsystem: String, _ metric: String, _ help: String, _ labels: [(String, String)]) {
        registry.makeCounter(descriptor: .init(namespace: "unity", subsystem: subsystem, metricName: metric, unitName: "total", helpText: help),
                             labels: labels).increment()
    }
}
