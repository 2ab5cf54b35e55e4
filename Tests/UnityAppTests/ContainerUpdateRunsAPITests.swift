import Fluent
import Foundation
import Testing
import UnityContainers
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The update-run API with a SCRIPTED update engine (`ScriptedUpdateApplier`, see the fixtures):
/// role boundaries, the window override, one active run per container (409), the candidate from the
/// update check or 422 naming `candidate`, a preflight deferral recorded and returned, the lists and
/// filters, the audit of each start; and the resume at start of a run a previous process left running.
@Suite("container update runs: API", .serialized, .timeLimit(.minutes(3)))
struct ContainerUpdateRunsAPITests {
    static var databases: [TestDatabase] { TestDatabase.available }

    /// Waits (bounded) until the run is in a final state and returns it.
    static func finished(_ client: TestClient, _ token: String, _ run: String) async throws -> [String: Any] {
        for _ in 0..<400 {
            let response = try await client.send(.GET, "/api/v1/update-runs/\(run)", token: token)
            if let state = response.json["state"] as? String, state != "running", state != "queued" { return response.json }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("run \(run) did not finish")
        return [:]
    }

    @Test(arguments: databases) func rolesConflictsCandidatesAndAudit(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let (hostID, containerID) = try await UpdateRunFixtures.seed(on: app.db)
            let (_, bare) = try await UpdateRunFixtures.seed(on: app.db, name: "bare", candidate: nil)
            let applier = ScriptedUpdateApplier(held: true)
            app.containerUpdateApply.applier = { _ in applier }
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin).token
            let (_, operatorToken) = try await client.user(.operator, name: "olga", adminToken: admin)
            let path = "/api/v1/containers/\(containerID)/update"

            #expect(try await client.send(.POST, path, token: viewer, json: [String: String]()).status == .forbidden)
            let override = try await client.send(.POST, path, token: operatorToken, json: ["override_window": true])
            #expect(override.status == .forbidden && override.errorField == "override_window", "\(override.body)")
            let none = try await client.send(.POST, "/api/v1/containers/\(bare)/update", token: operatorToken)
            #expect(none.status == .unprocessableEntity && none.errorField == "candidate", "\(none.body)")
            let badCandidate = try await client.send(.POST, "/api/v1/containers/\(bare)/update", token: operatorToken, json: ["candidate": "Not A Reference!"])
            #expect(badCandidate.errorField == "candidate")
            #expect(try await client.send(.POST, "/api/v1/containers/\(UUID())/update", token: operatorToken).status == .notFound)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "containers.update_run").count() == 5)

            // No body: the candidate of the last check. 202 with the run, still running (the engine is held).
            let started = try await client.send(.POST, path, token: operatorToken)
            #expect(started.status == .accepted, "\(started.body)")
            let runID = try #require(started.json["id"] as? String)
            #expect(started.json["state"] as? String == "running" && started.json["to_reference"] as? String == "registry.example/app:1.1.0")
            #expect(started.json["from_tag"] as? String == "1.0.0" && started.json["requested_by"] as? String == "olga")
            #expect(started.json["trigger"] as? String == "manual" && started.json["override_window"] as? Bool == false)

            let second = try await client.send(.POST, path, token: admin, json: ["candidate": "registry.example/app:1.2.0"])
            #expect(second.status == .conflict && second.body.contains(runID), "\(second.body)")

            applier.release()
            let run = try await Self.finished(client, viewer, runID)
            #expect(run["state"] as? String == "succeeded" && run["summary"] as? String == "scripted: succeeded", "\(run)")
            let steps = try #require(run["steps"] as? [[String: Any]])
            #expect(steps.map { "\($0["step"]!)/\($0["outcome"]!)" } == [
                "preflight/started", "preflight/succeeded", "pull/started", "pull/succeeded", "create_new/succeeded",
                "start_new/succeeded", "health_gate/succeeded", "remove_old/succeeded",
            ])
            #expect(steps.compactMap { $0["sequence"] as? Int } == Array(1...8))
            #expect((run["facts"] as? [String: Any])?["new_container_id"] as? String == "new-engine-id")
            #expect(applier.options == [UpdateApplyOptions()])

            // Free again: an admin may override the window, and names the candidate with a digest.
            let digest = "sha256:" + String(repeating: "c", count: 64)
            let overridden = try await client.send(.POST, path, token: admin, json: ["override_window": true, "candidate": "registry.example/app:1.2.0@\(digest)"])
            #expect(overridden.status == .accepted, "\(overridden.body)")
            #expect(overridden.json["override_window"] as? Bool == true && overridden.json["to_reference"] as? String == "registry.example/app:1.2.0")
            #expect(overridden.json["to_digest"] as? String == digest)
            _ = try await Self.finished(client, viewer, try #require(overridden.json["id"] as? String))

            // Every start is audited with the run, the candidate and the override.
            let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "containers.update_run").filter(\.$outcome == "success").all()
            #expect(audited.count == 2)
            #expect(audited.allSatisfy { $0.targetID == containerID.uuidString })
            #expect(audited.contains { $0.details.contains(runID) && $0.details.contains("\"override_window\":\"false\"") })
            #expect(audited.contains { $0.details.contains("\"override_window\":\"true\"") && $0.details.contains(digest) })
            let refused = try await AuditEvent.query(on: app.db).filter(\.$action == "containers.update_run").filter(\.$statusCode == 403).all()
            #expect(refused.contains { $0.details.contains("\"override_window\":\"true\"") }, "\(refused.map(\.details))")

            // Lists: all, by container, host, state; the container's history; bad filters name the field.
            let all = try await client.send(.GET, "/api/v1/update-runs", token: viewer)
            #expect(all.json["total"] as? Int == 2 && (all.json["items"] as? [[String: Any]])?.first?["steps"] == nil, "\(all.body)")
            #expect(try await client.send(.GET, "/api/v1/update-runs?host_id=\(hostID)&state=succeeded", token: viewer).json["total"] as? Int == 2)
            #expect(try await client.send(.GET, "/api/v1/update-runs?container_id=\(bare)", token: viewer).json["total"] as? Int == 0)
            #expect(try await client.send(.GET, "/api/v1/update-runs?state=failed", token: viewer).json["total"] as? Int == 0)
            #expect(try await client.send(.GET, "/api/v1/update-runs?state=nope", token: viewer).errorField == "state")
            #expect(try await client.send(.GET, "/api/v1/update-runs?host_id=x", token: viewer).errorField == "host_id")
            let paged = try await client.send(.GET, "/api/v1/containers/\(containerID)/update-runs?per_page=1", token: viewer)
            #expect(paged.json["total"] as? Int == 2 && (paged.json["items"] as? [Any])?.count == 1)
            #expect(try await client.send(.GET, "/api/v1/update-runs/\(UUID())", token: viewer).status == .notFound)
            #expect(try await client.send(.GET, "/api/v1/update-runs", token: nil).status == .unauthorized)

            // History stays after the container is gone.
            try await ContainerRecord.query(on: app.db).filter(\.$id == containerID).delete()
            #expect(try await client.send(.GET, "/api/v1/containers/\(containerID)/update-runs", token: viewer).json["total"] as? Int == 2)
            #expect(try await client.send(.POST, path, token: admin).status == .notFound)
        }
    }

    @Test(arguments: databases) func preflightVerdictsEndTheRunAtOnce(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let (_, containerID) = try await UpdateRunFixtures.seed(on: app.db)
            let applier = ScriptedUpdateApplier()
            app.containerUpdateApply.applier = { _ in applier }
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let until = UpdateRunFixtures.second(3600)
            let verdicts: [(UpdatePreflightVerdict, String, String)] = [
                (.deferred(reason: "outside the maintenance window", until: until), "deferred", "deferred: outside the maintenance window (until \(until.formatted(.iso8601)))"),
                (.refused(reason: "major updates are not allowed"), "refused", "refused: major updates are not allowed"),
                (.needsApproval(reason: "policy mode approve"), "needs_approval", "needs approval: policy mode approve"),
            ]
            for (verdict, state, summary) in verdicts {
                app.containerUpdateApply.preflight = FixedPreflight(verdict: verdict)
                let response = try await client.send(.POST, "/api/v1/containers/\(containerID)/update", token: admin)
                #expect(response.status == .accepted, "\(response.body)")
                #expect(response.json["state"] as? String == state && response.json["summary"] as? String == summary, "\(response.body)")
                #expect(response.json["finished_at"] is String)
                let steps = try #require(response.json["steps"] as? [[String: Any]])
                #expect(steps.map { "\($0["step"]!)/\($0["outcome"]!)" } == ["preflight/started", "preflight/skipped"])
                #expect(steps.last?["detail"] as? String == summary)
            }
            // Nothing reached the engine, and the container is free (each run ended at once).
            #expect(applier.applied.isEmpty)
            let listed = try await client.send(.GET, "/api/v1/update-runs?container_id=\(containerID)", token: admin)
            #expect(listed.json["total"] as? Int == 3)
            #expect(try await ContainerUpdateRunRecord.query(on: app.db).filter(\.$activeContainerID != nil).count() == 0)

            // The options the policy chose reach the engine as given.
            let options = UpdateApplyOptions(requireBackup: true, healthGate: HealthGateSettings(stableSeconds: 5), maxParallelPerHost: 2)
            app.containerUpdateApply.preflight = FixedPreflight(verdict: .proceed(options))
            let proceeded = try await client.send(.POST, "/api/v1/containers/\(containerID)/update", token: admin)
            let run = try await Self.finished(client, admin, try #require(proceeded.json["id"] as? String))
            #expect(run["state"] as? String == "succeeded")
            #expect(applier.options == [options])
            let preflight = (run["steps"] as? [[String: Any]])?.dropFirst().first?["detail"] as? String
            #expect(preflight?.contains("backup yes") == true, "\(String(describing: preflight))")

            // A host without a reachable engine: the run fails with the reason, nothing else happens.
            app.containerUpdateApply.applier = { _ in throw ContainerUpdateRunsError.noEngine }
            let unreachable = try await client.send(.POST, "/api/v1/containers/\(containerID)/update", token: admin)
            let failed = try await Self.finished(client, admin, try #require(unreachable.json["id"] as? String))
            #expect(failed["state"] as? String == "failed" && (failed["summary"] as? String)?.contains("no update engine") == true, "\(failed)")
        }
    }

    @Test(arguments: databases) func runsLeftRunningByAPreviousProcessAreResumedAtStart(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let (hostID, containerID) = try await UpdateRunFixtures.seed(on: app.db)
            let (_, busyID) = try await UpdateRunFixtures.seed(on: app.db, name: "busy")
            // The previous process (same replica id) began a run and died after renaming the old container.
            let previous = DatabaseUpdateJournal(database: { app.db }, replica: app.unity.replicaID)
            let request = UpdateRequest(containerID: containerID, hostID: hostID, candidateReference: "registry.example/app:1.1.0",
                                        trigger: .manual, requestedBy: "alice")
            let left = try await previous.begin(request, at: Date().addingTimeInterval(-5))
            try await previous.append(UpdateStepEntry(step: .renameOld, outcome: .started, detail: "web → web-unity-old-1", at: Date()), run: left)
            try await previous.record(UpdateRunFacts(oldContainerID: "old", originalName: "web", parkedName: "web-unity-old-1"), run: left)
            // Another replica is alive and working on its own run: not ours to resume.
            let live = DatabaseUpdateJournal(database: { app.db }, replica: "replica-elsewhere")
            let theirs = try await live.begin(UpdateRequest(containerID: busyID, hostID: hostID, candidateReference: "registry.example/app:1.1.0",
                                                            trigger: .policy, requestedBy: "policy"), at: Date())

            let applier = ScriptedUpdateApplier()
            app.containerUpdateApply.applier = { _ in applier }
            try await app.asyncBoot()

            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let run = try await Self.finished(client, admin, left.uuidString)
            #expect(run["state"] as? String == "rolled_back" && run["summary"] as? String == "scripted resume rolled back", "\(run)")
            let resumed = try #require(applier.resumed.first)
            #expect(applier.resumed.count == 1 && applier.applied.isEmpty)
            #expect(resumed.id == left && resumed.request == request && resumed.lastStep?.step == .renameOld)
            #expect(resumed.facts.parkedName == "web-unity-old-1")
            let other = try #require(try await ContainerUpdateRunRecord.find(theirs, on: app.db))
            #expect(other.state == "running" && other.ownerReplica == "replica-elsewhere")
            // A second start does not resume anything again.
            #expect(await ContainerUpdateRuns.resumeUnfinished(application: app, atStart: true).isEmpty)

            // While this replica runs, its sweep finds a run whose replica went silent two minutes ago:
            // released and resumed here at once, not left until the next start.
            let (_, thirdID) = try await UpdateRunFixtures.seed(on: app.db, name: "third")
            let silent = DatabaseUpdateJournal(database: { app.db }, replica: "replica-gone")
            let orphan = try await silent.begin(UpdateRequest(containerID: thirdID, hostID: hostID, candidateReference: "registry.example/app:1.1.0",
                                                              trigger: .manual, requestedBy: "carol"), at: Date().addingTimeInterval(-120))
            await app.unity.jobs.sweep(atStart: false)
            let handedOver = try await Self.finished(client, admin, orphan.uuidString)
            #expect(handedOver["state"] as? String == "rolled_back", "\(handedOver)")
            #expect(applier.resumed.map(\.id) == [left, orphan])
            #expect(try await ContainerUpdateRunRecord.find(theirs, on: app.db)?.state == "running")
        }
    }
}
