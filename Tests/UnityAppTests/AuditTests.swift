import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

@Suite struct AuditTests {
    @Test(arguments: TestDatabase.available)
    func mutatingRequestsAreAuditedWithActorTargetAndOutcome(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/users", token: admin,
                                                json: ["username": "erin", "role": "viewer", "password": "erin's long passphrase"],
                                                headers: ["User-Agent": "audit-test/1.0"])
            let userID = try #require((created.json["user"] as? [String: Any])?["id"] as? String)
            let viewer = try await client.login("erin", "erin's long passphrase")
            #expect(try await client.send(.DELETE, "/api/v1/users/\(userID)", token: viewer).status == .forbidden)

            let page = try await client.send(.GET, "/api/v1/audit?action=users.create", token: admin)
            let events = try #require(page.json["items"] as? [[String: Any]])
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event["actor_name"] as? String == "admin")
            #expect(event["actor_type"] as? String == "user")
            #expect(event["target_type"] as? String == "user")
            #expect(event["target_id"] as? String == userID)
            #expect(event["outcome"] as? String == "success")
            #expect(event["user_agent"] as? String == "audit-test/1.0")
            #expect((event["details"] as? [String: String])?["username"] == "erin")
            #expect(!page.body.contains("passphrase"))

            let denied = try await client.send(.GET, "/api/v1/audit?outcome=denied&action=users.delete", token: admin)
            let deniedEvent = try #require((denied.json["items"] as? [[String: Any]])?.first)
            #expect(deniedEvent["actor_name"] as? String == "erin")
            #expect(deniedEvent["status_code"] as? Int == 403)

            // Reads are not audited; logins are.
            let all = try await client.send(.GET, "/api/v1/audit?per_page=200", token: admin)
            let actions = (all.json["items"] as? [[String: Any]])?.compactMap { $0["action"] as? String } ?? []
            #expect(!actions.contains("audit.list"))
            #expect(actions.filter { $0 == "auth.login" }.count == 2)
            let since = try await client.send(.GET, "/api/v1/audit?since=2999-01-01T00:00:00Z", token: admin)
            #expect(since.json["total"] as? Int == 0)
        }
    }

    @Test func retentionTaskDeletesOnlyOldEvents() async throws {
        try await withUnityApp(settings: ["UNITY_AUDIT_RETENTION_DAYS": "30"]) { app in
            let old = AuditEvent()
            old.occurredAt = Date().addingTimeInterval(-40 * 86_400)
            old.actorType = "system"; old.action = "old.event"; old.outcome = "success"; old.details = "{}"
            try await old.create(on: app.db)
            let before = try await AuditEvent.query(on: app.db).count()
            let task = try #require(app.unity.tasks.task(named: "audit-retention"))
            guard case .ran(let run) = try await TaskRunner.runIfClaimed(task, trigger: "manual", application: app) else {
                Issue.record("task did not run"); return
            }
            #expect(run.status == "succeeded")
            #expect(run.summary == "deleted 1 audit events older than 30 days")
            #expect(try await AuditEvent.query(on: app.db).count() == before - 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "old.event").count() == 0)
        }
    }
}
