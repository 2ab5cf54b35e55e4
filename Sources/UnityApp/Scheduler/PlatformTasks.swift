import Fluent
import Vapor

/// The platform's own housekeeping tasks. Feature modules register theirs next to their code.
enum PlatformTasks {
    static func all(auditRetentionDays: Int) -> [ScheduledTask] {
        [
            ScheduledTask(name: "audit-retention", summary: "Delete audit events older than UNITY_AUDIT_RETENTION_DAYS",
                          interval: 86_400, jitter: 3_600) { context in
                let cutoff = Date().addingTimeInterval(-Double(auditRetentionDays) * 86_400)
                // Credential events go only once they are in the archive (CredentialAuditArchive).
                let archived = min(cutoff, try await CredentialAuditArchive.archivedUntil(context.database) ?? .distantPast)
                let old = AuditEvent.query(on: context.database).filter(\.$occurredAt < cutoff).group(.or) { either in
                    either.filter(\.$occurredAt < archived).group(.and) { other in
                        other.group(.or) { $0.filter(\.$targetType == nil).filter(\.$targetType !~ CredentialAuditArchive.targetTypes) }
                            .filter(\.$action !~ CredentialAuditArchive.actions)
                    }
                }
                let count = try await old.count()
                try await old.delete()
                return "deleted \(count) audit events older than \(auditRetentionDays) days"
            },
            ScheduledTask(name: "token-cleanup", summary: "Delete expired sessions and expired or revoked refresh tokens",
                          interval: 3_600, jitter: 300) { context in
                let now = Date()
                let sessions = WebSession.query(on: context.database).filter(\.$expiresAt < now)
                let sessionCount = try await sessions.count()
                try await sessions.delete()
                // Revoked tokens are kept a day so that reuse of a stolen token is still detected.
                let dayAgo = now.addingTimeInterval(-86_400)
                let tokens = RefreshToken.query(on: context.database).group(.or) {
                    $0.filter(\.$expiresAt < now).filter(\.$revokedAt < dayAgo)
                }
                let tokenCount = try await tokens.count()
                try await tokens.delete()
                return "deleted \(sessionCount) sessions and \(tokenCount) refresh tokens"
            },
            ScheduledTask(name: "task-history-retention", summary: "Keep 30 days of task run history",
                          interval: 86_400, jitter: 3_600) { context in
                let cutoff = Date().addingTimeInterval(-30 * 86_400)
                let old = TaskRun.query(on: context.database).filter(\.$startedAt < cutoff)
                let count = try await old.count()
                try await old.delete()
                return "deleted \(count) task runs older than 30 days"
            },
        ]
    }
}
