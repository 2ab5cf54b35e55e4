import Fluent
import Foundation
import UnityAlerts

/// Expiry stages for the alert rules (30/14/7/1 days), a daily scan, and Prometheus lines for the
/// credential inventory.
enum CertificateExpiry {
    static let stages = [30, 14, 7, 1]

    /// The smallest stage crossed, 0 when more than 30 days remain (expired counts as 1).
    static func stage(notAfter: Date, now: Date) -> Int {
        let days = notAfter.timeIntervalSince(now) / 86_400
        return stages.last { days <= Double($0) } ?? 0
    }

    static func observations(_ records: [CertificateRecord], now: Date) -> [Observation] {
        records.compactMap { record in
            guard let id = record.id else { return nil }
            let stage = stage(notAfter: record.notAfter, now: now)
            let detail = stage == 0 ? nil : record.notAfter <= now
                ? "\(record.name) expired on \(ISO8601DateFormatter().string(from: record.notAfter))"
                : "\(record.name) expires on \(ISO8601DateFormatter().string(from: record.notAfter))"
            return Observation(resource: ResourceRef(type: "certificate", id: id.uuidString, name: record.name),
                               key: CredentialsAlerts.expiryStage, value: Double(stage), detail: detail, at: now)
        }
    }

    static let task = ScheduledTask(name: "certificate-expiry", summary: "Raise expiry alerts at 30, 14, 7 and 1 days", interval: 86_400, jitter: 600) { context in
        let records = try await CertificateRecord.query(on: context.database).all()
        try await context.application.unity.alerts.observe(observations(records, now: Date()))
        let soon = records.filter { stage(notAfter: $0.notAfter, now: Date()) > 0 }.count
        return "checked \(records.count) certificates, \(soon) within 30 days of expiry"
    }

    /// `unity_certificate_expiry_timestamp_seconds`, certificate and key counts.
    static func prometheus(on db: any Database) async throws -> String {
        let records = try await CertificateRecord.query(on: db).all()
        let keys = try await SSHKeyRecord.query(on: db).all()
        var lines = ["# HELP unity_certificate_expiry_timestamp_seconds When the certificate expires (Unix time)",
                     "# TYPE unity_certificate_expiry_timestamp_seconds gauge"]
        for record in records {
            lines.append("unity_certificate_expiry_timestamp_seconds{name=\"\(FleetMetricsExporter.escape(record.name))\",fingerprint=\"\(record.fingerprint)\",source=\"\(record.source)\"} \(Int64(record.notAfter.timeIntervalSince1970))")
        }
        let now = Date()
        lines += ["# HELP unity_certificates Certificates in the inventory by state", "# TYPE unity_certificates gauge"]
        for state in ["valid", "expiring", "expired"] {
            let count = records.filter { record in
                let days = record.notAfter.timeIntervalSince(now) / 86_400
                return state == "expired" ? days <= 0 : state == "expiring" ? (days > 0 && days <= 30) : days > 30
            }.count
            lines.append("unity_certificates{state=\"\(state)\"} \(count)")
        }
        lines += ["# HELP unity_ssh_keys SSH keys held by Unity by type", "# TYPE unity_ssh_keys gauge"]
        for (type, group) in Dictionary(grouping: keys, by: \.keyType).sorted(by: { $0.key < $1.key }) {
            lines.append("unity_ssh_keys{type=\"\(type)\"} \(group.count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
