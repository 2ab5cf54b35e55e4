import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The daily credential audit archive: finished days frozen as JSON lines in a hash chain that
/// detects edits, and audit retention that never deletes a credential event before it is archived.
@Suite("Credential audit archive")
struct CredentialAuditArchiveTests {
    static func event(_ action: String, target: String?, at: Date, on db: any Database) async throws {
        try await AuditLog.record(.init(actorType: "user", actorName: "admin", action: action, targetType: target, targetID: "t",
                                        outcome: "success", details: ["note": action]), on: db)
        let row = try #require(try await AuditEvent.query(on: db).filter(\.$action == action).first())
        row.occurredAt = at
        try await row.save(on: db)
    }

    @Test(arguments: TestDatabase.available)
    func archivesFinishedDaysInAChainAndRetentionWaitsForIt(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let db = app.db
            let today = CredentialAuditArchive.utcDay(Date())
            let threeDaysAgo = today.addingTimeInterval(-3 * 86_400 + 3_600)
            try await Self.event("ssh_keys.reveal", target: "ssh_key", at: threeDaysAgo, on: db)
            try await Self.event("users.create", target: "user", at: threeDaysAgo, on: db)
            try await Self.event("certificates.deploy", target: "certificate", at: today.addingTimeInterval(-86_400 + 60), on: db)
            try await Self.event("credentials.reveal", target: "credential", at: today.addingTimeInterval(60), on: db)

            let summary = try await CredentialAuditArchive.run(database: db, now: Date())
            #expect(summary == "archived 3 days, 2 events", "\(summary)")
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let list = try await client.send(.GET, "/api/v1/audit/archives", token: admin)
            #expect(list.json["chain_intact"] as? Bool == true, "\(list.body)")
            let days = (list.json["archives"] as? [[String: Any]] ?? []).compactMap { $0["day"] as? String }
            #expect(days == [-1, -2, -3].map { CredentialAuditArchive.format(today.addingTimeInterval(Double($0) * 86_400)) })
            // Today is not finished, so it is not archived; running again adds nothing.
            #expect(try await CredentialAuditArchive.run(database: db, now: Date()) == "archived 0 days, 0 events")

            let first = try await client.send(.GET, "/api/v1/audit/archives/\(days[2])", token: admin)
            #expect(first.headers.contentType?.description == "application/x-ndjson")
            let lines = first.body.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(#""action":"ssh_keys.reveal""#), "\(first.body)")
            #expect(!first.body.contains("users.create"), "only credential events are archived")
            #expect(try await client.send(.GET, "/api/v1/audit/archives/yesterday", token: admin).errorField == "day")
            let viewer = try await client.user(.viewer, adminToken: admin).token
            #expect(try await client.send(.GET, "/api/v1/audit/archives", token: viewer).status == .forbidden)

            // Any edit of an archived day breaks the chain there.
            let archived = try #require(try await AuditArchiveRecord.query(on: db).filter(\.$day == days[0]).first())
            archived.content = archived.content.replacingOccurrences(of: "certificates.deploy", with: "certificates.get")
            try await archived.save(on: db)
            let broken = try await client.send(.GET, "/api/v1/audit/archives", token: admin)
            #expect(broken.json["chain_intact"] as? Bool == false && broken.json["broken_at"] as? String == days[0], "\(broken.body)")
        }
    }

    @Test func retentionKeepsCredentialEventsUntilArchived() async throws {
        try await withUnityApp(settings: ["UNITY_AUDIT_RETENTION_DAYS": "1"]) { app in
            let db = app.db
            let old = Date().addingTimeInterval(-10 * 86_400)
            try await Self.event("ssh_keys.reveal", target: "ssh_key", at: old, on: db)
            try await Self.event("users.create", target: "user", at: old, on: db)
            try await Self.event("servers.access_key_switched", target: "server", at: old, on: db)
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            _ = try await client.send(.POST, "/api/v1/tasks/audit-retention/run", token: admin)
            let left = try await AuditEvent.query(on: db).filter(\.$occurredAt < Date().addingTimeInterval(-86_400)).all().map(\.action).sorted()
            #expect(left == ["servers.access_key_switched", "ssh_keys.reveal"], "\(left)")
            _ = try await client.send(.POST, "/api/v1/tasks/credential-audit-archive/run", token: admin)
            _ = try await client.send(.POST, "/api/v1/tasks/audit-retention/run", token: admin)
            #expect(try await AuditEvent.query(on: db).filter(\.$occurredAt < Date().addingTimeInterval(-86_400)).count() == 0)
            let archives = try await AuditArchiveRecord.query(on: db).all()
            #expect(archives.count == 10 && archives.map(\.events).reduce(0, +) == 2, "\(archives.map { ($0.day, $0.events) })")
        }
    }
}
