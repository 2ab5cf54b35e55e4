import Foundation
import Testing
import UnityRegistry
@testable import UnityContainers

/// The cycle against the counting FAKE registry (see `FakeRegistry`): de-duplication, bounded
/// concurrency, and transient failures that are never "up to date".
@Suite struct UpdateCheckCycleTests {
    static let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_800_000_000) }

    static func subjects(_ count: Int, references: [String], digest: String) -> [UpdateSubject] {
        (0..<count).map { index in
            let reference = references[index % references.count]
            let repository = reference.split(separator: ":").first.map(String.init) ?? reference
            return UpdateSubject(containerID: UUID(), containerName: "c\(index)", hostID: UUID(), imageReference: reference,
                                 repoDigests: ["\(repository)@\(digest)"], labels: [:],
                                 platform: HostPlatform(os: "linux", architecture: "amd64"))
        }
    }

    @Test func thirtyContainersOverThreeTagsAskThreeTimes() async {
        let registry = FakeRegistry()
        // Written forms differ, the normalised reference is the same: `nginx` is `docker.io/library/nginx:latest`.
        let references = ["nginx", "docker.io/library/nginx:latest", "redis:7-alpine", "ghcr.io/home-assistant/home-assistant:stable"]
        for reference in references {
            registry.setManifest(reference, .success(RegistryManifest(digest: Digests.d("1a"), mediaType: ManifestMediaType.dockerManifest)))
        }
        let outcome = await UpdateCheckCycle(registry: registry, concurrency: 2, now: Self.clock)
            .run(Self.subjects(30, references: references, digest: Digests.d("1a")))
        #expect(registry.counts.manifests == 3, "\(registry.manifestCalls)")
        #expect(registry.counts.tags == 0, "floating tags need no listing")
        #expect(outcome.manifestRequests == 3)
        #expect(outcome.verdicts.count == 30)
        #expect(outcome.verdicts.values.allSatisfy { $0.status == .upToDate })
    }

    @Test func oneTagListingPerRepository() async {
        let registry = FakeRegistry()
        let references = ["postgres:16.2", "postgres:16.2-alpine", "postgres:15.6"]
        for reference in references {
            registry.setManifest(reference, .success(RegistryManifest(digest: Digests.d("1a"), mediaType: ManifestMediaType.dockerManifest)))
        }
        registry.setTags("docker.io/library/postgres", .success(["15.6", "15.7", "16.2", "16.3", "16.2-alpine", "16.3-alpine"]))
        let outcome = await UpdateCheckCycle(registry: registry, now: Self.clock)
            .run(Self.subjects(9, references: references, digest: Digests.d("1a")))
        #expect(registry.counts.tags == 1)
        #expect(registry.counts.manifests == 3)
        #expect(outcome.verdicts.values.allSatisfy { $0.status == .updateAvailable })
        #expect(Set(outcome.verdicts.values.compactMap(\.candidateTag)) == ["16.3", "16.3-alpine"], "15.6 → 16.3: the newest of its shape, a major")
    }

    @Test func rateLimitIsStaleUnknownAndRetriedNextCycle() async {
        let registry = FakeRegistry()
        registry.setManifest("nginx", .failure(.rateLimited(registry: "docker.io", retryAfterSeconds: 60)))
        let subjects = Self.subjects(5, references: ["nginx"], digest: Digests.d("1a"))
        let cycle = UpdateCheckCycle(registry: registry, now: Self.clock)
        let first = await cycle.run(subjects)
        #expect(first.verdicts.values.allSatisfy { $0.status == .unknown && $0.transient })
        #expect(registry.counts.manifests == 1)
        // Next cycle asks again (nothing is cached between cycles) and now gets an answer.
        registry.setManifest("nginx", .success(RegistryManifest(digest: Digests.d("1a"), mediaType: ManifestMediaType.dockerManifest)))
        let second = await cycle.run(subjects)
        #expect(registry.counts.manifests == 2)
        #expect(second.verdicts.values.allSatisfy { $0.status == .upToDate })
    }

    @Test func concurrencyIsBounded() async {
        let registry = FakeRegistry()
        registry.delay = .milliseconds(20)
        let references = (0..<12).map { "registry.lan/app\($0):1" }
        for reference in references {
            registry.setManifest(reference, .success(RegistryManifest(digest: Digests.d("1a"), mediaType: ManifestMediaType.dockerManifest)))
        }
        let subjects = references.map { reference in
            UpdateSubject(containerID: UUID(), containerName: reference, hostID: UUID(), imageReference: reference,
                          repoDigests: [String(reference.dropLast(2)) + "@" + Digests.d("1a")], labels: [:], platform: nil)
        }
        let outcome = await UpdateCheckCycle(registry: registry, concurrency: 3, now: Self.clock).run(subjects)
        #expect(registry.counts.manifests == 12)
        #expect(registry.maxInFlight <= 3 && registry.maxInFlight >= 2, "\(registry.maxInFlight)")
        #expect(outcome.verdicts.values.allSatisfy { $0.status == .upToDate })
    }
}
