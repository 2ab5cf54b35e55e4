import Fluent
import Foundation

/// One day of credential audit events, frozen: the JSON lines as they were, their SHA-256, and
/// the previous day's hash, so a later edit of any archived day breaks the chain. Archives outlive
/// the audit retention window: who revealed which key stays answerable for years.
final class AuditArchiveRecord: Model, @unchecked Sendable {
    static let schema = "audit_archives"

    @ID(key: .id) var id: UUID?
    /// UTC day, `2026-11-26`.
    @Field(key: "day") var day: String
    @Field(key: "events") var events: Int
    /// JSON lines, one audit event each, oldest first.
    @Field(key: "content") var content: String
    @Field(key: "sha256") var sha256: String
    @Field(key: "previous_sha256") var previousSHA256: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
