import Fluent
import Foundation
import Testing
import UnityContainers
import UnityTestSupport
@testable import UnityApp

/// The update journal on the real databases (SQLite and PostgreSQL): a run and its lines read back
/// exactly as written, one active run per container (also when requests race, and across two
/// replicas on one database), a finished run frees the container and keeps its history after the
/// container row is gone, and a resume claim is taken once.
@Suite("container update runs: journal", .serialized, .timeLimit(.minutes(3)))
struct ContainerUpdateRunsJournalTests {
    static var databases: [TestDatabase] { TestDatabase.available }

    @Test(arguments: databases) func runsAndLinesReadBackAsWritten(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let (host, container) = try await UpdateRunFixtures.seed(on: app.db)
            let journal = DatabaseUpdateJournal(database: { app.db }, replica: "replica-a")
            let request = UpdateRequest(containerID: container, hostID: host, candidateReference: "registry.example/app:1.1.0",
                                        candidateDigest: "sha256:" + String(repeating: "b", count: 64), trigger: .manual,
                                        requestedBy: "alice", overrideWindow: true)
            let started = UpdateRunFixtures.second(-10)
            let run = try await journal.begin(request, at: started)

            let row = try #require(try await ContainerUpdateRunRecord.find(run, on: app.db))
            #expect(row.containerName == "web" && row.fromReference == "registry.example/app:1.0.0" && row.fromTag == "1.0.0")
            #expect(row.fromDigest == "sha256:" + String(repeating: "a", count: 64))
            #expect(row.state == "running" && row.activeContainerID == container && row.ownerReplica == "replica-a")

            let lines = [UpdateStepEntry(step: .preflight, outcome: .succeeded, detail: "proceed", at: started),
                         UpdateStepEntry(step: .pull, outcome: .started, detail: "pulling", at: started.addingTimeInterval(1)),
                         UpdateStepEntry(step: .pull, outcome: .succeeded, detail: "pulled", at: started.addingTimeInterval(2)),
                         UpdateStepEntry(step: .renameOld, outcome: .started, detail: "web → web-unity-old", at: started.addingTimeInterval(3))]
            for line in lines { try await journal.append(line, run: run) }
            let facts = UpdateRunFacts(oldContainerID: "abc", originalName: "web", parkedName: "web-unity-old-1", oldImageID: "sha256:old",
                                       rollbackReference: "unity-rollback/web:1", candidateImageID: "sha256:new", newContainerID: nil, backupID: UUID())
            try await journal.record(facts, run: run)

            // What a resume after a crash reads: the request, the facts, the lines in order.
            let unfinished = try await journal.unfinished()
            #expect(unfinished.count == 1)
            let snapshot = try #require(unfinished.first)
            #expect(snapshot.id == run && snapshot.request == request && snapshot.state == .running)
            #expect(snapshot.facts == facts)
            #expect(snapshot.steps == lines)
            #expect(snapshot.lastStep?.step == .renameOld)
            let numbers = try await journal.steps(of: run).map(\.sequence)
            #expect(numbers == [1, 2, 3, 4])

            try await journal.finish(run: run, state: .rolledBack, summary: "gate failed; old container back", at: started.addingTimeInterval(9))
            // A second finish (a resume of an already ended run) keeps the first outcome.
            try await journal.finish(run: run, state: .succeeded, summary: "late", at: started.addingTimeInterval(20))
            let ended = try #require(try await ContainerUpdateRunRecord.find(run, on: app.db))
            #expect(ended.state == "rolled_back" && ended.summary == "gate failed; old container back" && ended.activeContainerID == nil)
            #expect(ended.finishedAt == started.addingTimeInterval(9))
            #expect(try await journal.unfinished().isEmpty)
            await #expect(throws: UpdateRunError.notFinal(.running)) { try await journal.finish(run: run, state: .running, summary: "", at: Date()) }
            await #expect(throws: UpdateRunError.self) { try await journal.append(lines[0], run: UUID()) }

            // The history outlives the container: no foreign key, the run and its lines stay.
            try await ContainerRecord.query(on: app.db).filter(\.$id == container).delete()
            #expect(try await ContainerUpdateRunRecord.find(run, on: app.db)?.containerName == "web")
            #expect(try await journal.steps(of: run).count == 4)
            // Lines go with their run.
            try await ContainerUpdateRunRecord.query(on: app.db).filter(\.$id == run).delete()
            #expect(try await journal.steps(of: run).isEmpty)
        }
    }

    @Test(arguments: databases) func oneActiveRunPerContainerEvenWhenRacing(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let (host, container) = try await UpdateRunFixtures.seed(on: app.db)
            let (_, other) = try await UpdateRunFixtures.seed(on: app.db, name: "db")
            let journal = DatabaseUpdateJournal(database: { app.db }, replica: "replica-a")
            func request(_ id: UUID) -> UpdateRequest {
                UpdateRequest(containerID: id, hostID: host, candidateReference: "registry.example/app:1.1.0", trigger: .manual, requestedBy: "alice")
            }
            let first = request(container)
            let outcomes = await withTaskGroup(of: Result<UUID, any Error>.self) { group in
                for _ in 0..<8 { group.addTask { do { return .success(try await journal.begin(first, at: Date())) } catch { return .failure(error) } } }
                var all: [Result<UUID, any Error>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let winners = outcomes.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            for case .failure(let error) in outcomes {
                guard case UpdateRunError.alreadyActive(let id, let runID, _) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(id == container && runID == winners.first)
            }
            // Another container is not blocked; the first is free again once its run ended.
            _ = try await journal.begin(request(other), at: Date())
            try await journal.finish(run: try #require(winners.first), state: .failed, summary: "x", at: Date())
            _ = try await journal.begin(request(container), at: Date())
            #expect(try await ContainerUpdateRunRecord.query(on: app.db).count() == 3)
        }
    }

    @Test(arguments: databases) func twoReplicasOnOneDatabaseGetOneRunAndOneClaim(database: TestDatabase) async throws {
        try await withUnityReplicas(2, database: database) { apps in
            let (host, container) = try await UpdateRunFixtures.seed(on: apps[0].db)
            let journals = apps.map { $0.containerUpdateJournal }
            let request = UpdateRequest(containerID: container, hostID: host, candidateReference: "registry.example/app:1.1.0", trigger: .manual, requestedBy: "bob")
            async let first = Result.of { try await journals[0].begin(request, at: Date()) }
            async let second = Result.of { try await journals[1].begin(request, at: Date()) }
            let results = await [first, second]
            #expect(results.filter { (try? $0.get()) != nil }.count == 1)
            let run = try #require(results.compactMap { try? $0.get() }.first)

            // Both replicas read the row, then both try to claim it for a resume: one wins.
            let rows = [try #require(try await ContainerUpdateRunRecord.find(run, on: apps[0].db)),
                        try #require(try await ContainerUpdateRunRecord.find(run, on: apps[1].db))]
            async let claimA = journals[0].claim(rows[0], at: Date())
            async let claimB = journals[1].claim(rows[1], at: Date())
            let claims = try await [claimA, claimB]
            #expect(claims.filter { $0 }.count == 1)
            let owner = try #require(try await ContainerUpdateRunRecord.find(run, on: apps[0].db)).ownerReplica
            #expect(owner == (claims[0] ? "replica-0" : "replica-1"))
        }
    }
}

private extension Result where Failure == any Error {
    static func of(_ body: @Sendable () async throws -> Success) async -> Self {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}
