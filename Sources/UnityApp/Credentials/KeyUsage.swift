import Fluent
import Foundation
import UnityAlerts

/// When each SSH key last logged in somewhere, and the weekly report of keys nobody uses.
enum KeyUsage {
    static let unusedDays = 90

    /// The key a server logs in with (its own, or its credential's) was just used.
    static func record(_ server: MonitoredServer, at date: Date, on db: any Database) async throws {
        var keyID = server.sshKeyID
        if keyID == nil, let credentialID = server.credentialID {
            keyID = try await ServerCredential.find(credentialID, on: db)?.sshKeyID
        }
        guard let keyID, let key = try await SSHKeyRecord.find(keyID, on: db) else { return }
        // At most one write an hour per key: collection runs every few minutes.
        if let last = key.lastUsedAt, date.timeIntervalSince(last) < 3_600 { return }
        key.lastUsedAt = date
        try await key.save(on: db)
    }

    static let task = ScheduledTask(name: "unused-ssh-keys", summary: "Report SSH keys unused for 90 days", interval: 7 * 86_400, jitter: 3_600) { context in
        let now = Date()
        let keys = try await SSHKeyRecord.query(on: context.database).all()
        var observations: [Observation] = []
        var unused: [String] = []
        for key in keys {
            guard let id = key.id else { continue }
            let since = key.lastUsedAt ?? key.createdAt ?? now
            let days = (now.timeIntervalSince(since) / 86_400).rounded(.down)
            if days >= Double(unusedDays) { unused.append(key.name) }
            observations.append(Observation(resource: ResourceRef(type: "ssh_key", id: id.uuidString, name: key.name), key: CredentialsAlerts.keyUnusedDays,
                                            value: days, detail: days >= Double(unusedDays) ? "SSH key \(key.name) has not logged in anywhere for \(Int(days)) days" : nil,
                                            at: now))
        }
        try await context.application.unity.alerts.observe(observations)
        return unused.isEmpty ? "no key unused for \(unusedDays) days" : "unused for \(unusedDays)+ days: \(unused.joined(separator: ", "))"
    }
}
