import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import UnityContainers
import UnityRegistry
import UnityTestSupport
@testable import UnityApp

/// Update results and the notify-once ledger in the real database (SQLite file, PostgreSQL): stale
/// keeps the last good result, a notice is claimed once across cycles, a restart of Unity (the
/// database re-opened by a new process) and two claimers racing as two replicas would.
/// The registry is a FAKE that answers from a table: the live client has its own real-registry tests.
@Suite("container update store", .timeLimit(.minutes(3)))
struct ContainerUpdateStoreTests {
    final class TableRegistry: RegistryQuerying, @unchecked Sendable {
        private let lock = NIOLock()
        private var manifests: [String: Result<RegistryManifest, RegistryError>] = [:]
        private var tagLists: [String: [String]] = [:]
        func set(_ reference: String, _ answer: Result<RegistryManifest, RegistryError>) {
            lock.withLock { manifests[(try? ImageReference.parse(reference).canonical) ?? reference] = answer }
        }
        func setTags(_ repository: String, _ tags: [String]) { lock.withLock { tagLists[repository] = tags } }
        func manifest(for reference: ImageReference) async throws(RegistryError) -> RegistryManifest {
            guard let answer = lock.withLock({ manifests[reference.canonical] }) else { throw .notFound(reference: reference.canonical) }
            return try answer.get()
        }
        func tags(of reference: ImageReference, limit: Int) async throws(RegistryError) -> [String] {
            lock.withLock { tagLists["\(reference.registry)/\(reference.repository)"] ?? [] }
        }
    }

    static func digest(_ seed: String) -> String { "sha256:" + String(repeating: seed, count: 32).prefix(64) }
    static func single(_ seed: String) -> Result<RegistryManifest, RegistryError> {
        .success(RegistryManifest(digest: digest(seed), mediaType: ManifestMediaType.dockerManifest))
    }

    /// A host and three containers: nginx (rebuilt upstream), postgres 16.2 (16.3 out), redis (current).
    static func seed(on db: any Database) async throws -> [String: UUID] {
        let now = Date()
        let host = ContainerHostRecord(name: "edge", transport: .socket, serverID: nil, socketPath: "/run/x.sock", now: now)
        host.os = "linux"; host.architecture = "amd64"; host.status = "up"
        try await host.create(on: db)
        var ids: [String: UUID] = [:]
        for (name, reference, repoDigest) in [("web", "nginx:latest", "nginx@" + digest("1a")),
                                              ("db", "postgres:16.2", "postgres@" + digest("2b")),
                                              ("cache", "redis:latest", "redis@" + digest("3c"))] {
            let row = ContainerRecord()
            row.hostID = try host.requireID(); row.engineID = String(repeating: "e", count: 12) + name; row.name = name
            row.imageReference = reference; row.repoDigestsJSON = "[\"\(repoDigest)\"]"; row.state = "running"; row.restartCount = 0
            row.oomKilled = false; row.portsJSON = "[]"; row.mountsJSON = "[]"; row.networksJSON = "[]"; row.labelsJSON = "{}"
            row.composeConfigFilesJSON = "[]"; row.envNamesJSON = "[]"; row.firstSeenAt = now; row.updatedAt = now
            try await row.create(on: db)
            ids[name] = try row.requireID()
        }
        return ids
    }

    static func status(_ id: UUID?, on db: any Database) async throws -> ContainerUpdateStatusRecord {
        let id = try #require(id)
        return try #require(try await ContainerUpdateStatusRecord.query(on: db).filter(\.$containerID == id).first())
    }

    @Test(arguments: TestDatabase.available)
    func notifyOnceAcrossCyclesAndARestart(database: TestDatabase) async throws {
        let unity = try RestartableUnity(database)
        defer { unity.cleanUp() }
        let registry = TableRegistry()
        registry.set("nginx:latest", Self.single("9f"))
        registry.set("postgres:16.2", Self.single("2b"))
        registry.set("redis:latest", Self.single("3c"))
        registry.setTags("docker.io/library/postgres", ["16.1", "16.2", "16.3", "17.0-alpine"])
        var clockValue = Date(timeIntervalSince1970: 1_800_000_000)
        let cycle = { (now: Date) in UpdateCheckCycle(registry: registry, now: { now }) }

        let ids = try await unity.run { app in
            let ids = try await Self.seed(on: app.db)
            let first = try await UpdateStore.runCycle(cycle(clockValue), on: app.db)
            #expect(first.notices.count == 2)
            #expect(first.notices.first { $0.containerID == ids["web"] }?.isRebuild == true)
            let version = try #require(first.notices.first { $0.containerID == ids["db"] })
            #expect(!version.isRebuild && version.kind == .minor && version.candidateTag == "16.3")
            #expect(try await Self.status(ids["cache"], on: app.db).status == "up_to_date")

            // Second cycle: same answers (no notice again), and redis is rate-limited.
            clockValue += 3_600
            registry.set("redis:latest", .failure(.rateLimited(registry: "docker.io", retryAfterSeconds: 60)))
            let second = try await UpdateStore.runCycle(cycle(clockValue), on: app.db)
            #expect(second.notices.isEmpty)
            let stale = try await Self.status(ids["cache"], on: app.db)
            #expect(stale.status == "unknown" && stale.stale && stale.lastGoodStatus == "up_to_date")
            #expect(stale.reason?.contains("rate-limited") == true)
            return ids
        }

        try await unity.run { app in
            // A new process on the same database: nothing is notified again; the retry clears stale.
            registry.set("redis:latest", Self.single("3c"))
            clockValue += 3_600
            let third = try await UpdateStore.runCycle(cycle(clockValue), on: app.db)
            #expect(third.notices.isEmpty)
            let cache = try await Self.status(ids["cache"], on: app.db)
            #expect(cache.status == "up_to_date" && !cache.stale)

            // Another rebuild is a new candidate: one notice. Two claimers racing (two replicas) share it.
            registry.set("nginx:latest", Self.single("8e"))
            let outcome = await cycle(clockValue + 60).run(try await UpdateStore.subjects(on: app.db))
            async let left = UpdateStore.claimNewNotices(outcome, on: app.db)
            async let right = UpdateStore.claimNewNotices(outcome, on: app.db)
            let claimed = try await left + right
            #expect(claimed.count == 1 && claimed.first?.candidateDigest == Self.digest("8e"))

            // Skip this version and pin survive the checks that follow.
            try await UpdateStore.record(outcome, on: app.db)
            #expect(try await UpdateStore.skipCurrentCandidate(containerID: try #require(ids["db"]), now: clockValue, on: app.db))
            try await UpdateStore.setPinned(true, containerID: try #require(ids["web"]), now: clockValue, on: app.db)
            let after = try await UpdateStore.runCycle(cycle(clockValue + 120), on: app.db)
            #expect(after.notices.isEmpty)
            #expect(try await Self.status(ids["db"], on: app.db).status == "up_to_date")
            #expect(try await Self.status(ids["web"], on: app.db).status == "pinned")
            registry.setTags("docker.io/library/postgres", ["16.2", "16.3", "16.4"])
            let newer = try await UpdateStore.runCycle(cycle(clockValue + 180), on: app.db)
            #expect(newer.notices.map(\.candidateTag) == ["16.4"], "a version newer than the skipped one is news")
        }
    }
}
