import Foundation
import Testing
import UnityRegistry
@testable import UnityContainers

/// The pure decision: labels → policy, and container + registry answer → status.
@Suite struct UpdateDecisionTests {
    @Test func labelTable() {
        #expect(UpdateWatchPolicy.from(labels: [:]) == UpdateWatchPolicy())
        #expect(!UpdateWatchPolicy.from(labels: ["com.centurylinklabs.watchtower.enable": "false"]).enabled)
        #expect(!UpdateWatchPolicy.from(labels: ["wud.watch": "false"]).enabled)
        #expect(!UpdateWatchPolicy.from(labels: ["diun.enable": "false"]).enabled)
        #expect(!UpdateWatchPolicy.from(labels: ["dd.watch": "FALSE"]).enabled)
        #expect(UpdateWatchPolicy.from(labels: ["wud.watch": "false", "unity.update.enable": "true"]).enabled, "Unity's own label wins")
        #expect(UpdateWatchPolicy.from(labels: ["unity.update.pin": "yes"]).pinned)
        let wud = UpdateWatchPolicy.from(labels: ["wud.tag.include": #"^\d+\.\d+\.\d+$"#, "wud.tag.exclude": "rc",
                                                  "wud.tag.transform": #"^(\d+\.\d+)-.*$ => $1"#, "wud.watch.digest": "false"])
        #expect(wud.tags.include == #"^\d+\.\d+\.\d+$"# && wud.tags.exclude == "rc" && !wud.watchDigest)
        #expect(wud.tags.transform == TagTransform(pattern: #"^(\d+\.\d+)-.*$"#, replacement: "$1"))
        let drydockOverWUD = UpdateWatchPolicy.from(labels: ["dd.tag.include": "^v", "wud.tag.include": "^1"])
        #expect(drydockOverWUD.tags.include == "^v")
        let unity = UpdateWatchPolicy.from(labels: ["unity.update.prereleases": "true", "unity.update.same_major": "on",
                                                    "unity.update.follow_major": "1", "unity.update.digest": "off"])
        #expect(unity.tags.preReleases && unity.tags.sameMajorOnly && unity.followMajor && !unity.watchDigest)
        #expect(UpdateWatchPolicy.from(labels: ["unity.update.enable": "maybe"]).enabled, "an unreadable value counts as not set")
    }

    static let host = HostPlatform(os: "linux", architecture: "x86_64")
    static let index = RegistryManifest(digest: Digests.d("1a"), mediaType: ManifestMediaType.ociIndex, platforms: [
        PlatformManifest(digest: Digests.d("2a"), os: "linux", architecture: "amd64"),
        PlatformManifest(digest: Digests.d("3a"), os: "linux", architecture: "arm64", variant: "v8"),
    ])

    static func subject(_ reference: String?, digests: [String] = [], labels: [String: String] = [:],
                        platform: HostPlatform? = host, skippedTag: String? = nil, skippedDigest: String? = nil) -> UpdateSubject {
        UpdateSubject(containerID: UUID(), containerName: "c", hostID: UUID(), imageReference: reference, repoDigests: digests,
                      labels: labels, platform: platform, skippedTag: skippedTag, skippedDigest: skippedDigest)
    }

    static func decide(_ subject: UpdateSubject, manifest: Result<RegistryManifest, RegistryError> = .success(index),
                       tags: [String]? = nil) -> UpdateVerdict {
        switch UpdateDecision.plan(subject) {
        case .settled(let verdict): return verdict
        case .check(let check):
            return UpdateDecision.decide(subject, check, manifest: manifest, tags: check.needsTags ? .success(tags ?? []) : nil)
        }
    }

    @Test func settledWithoutTheRegistry() {
        #expect(Self.decide(Self.subject("nginx@" + Digests.d("aa"))).status == .pinned)
        #expect(Self.decide(Self.subject("nginx:1.27", labels: ["unity.update.pin": "true"])).status == .pinned)
        #expect(Self.decide(Self.subject("nginx", labels: ["wud.watch": "false"])).status == .skipped)
        #expect(Self.decide(Self.subject(nil)).status == .unknown)
        #expect(Self.decide(Self.subject("Not A Reference!")).status == .unknown)
        let badRegex = Self.decide(Self.subject("nginx:1.27.1", digests: [], labels: ["unity.update.include": "("]))
        #expect(badRegex.status == .unknown && badRegex.reason?.contains("not a valid regular expression") == true)
    }

    /// Multi-arch: the index digest, or the host platform's entry, means up to date; nothing else does.
    @Test func multiArchDigests() {
        let pulledIndex = Self.subject("nginx:latest", digests: ["nginx@" + Digests.d("1a")])
        #expect(Self.decide(pulledIndex).status == .upToDate)
        let pulledPlatform = Self.subject("nginx:latest", digests: ["docker.io/library/nginx@" + Digests.d("2a")])
        #expect(Self.decide(pulledPlatform).status == .upToDate)
        // Every repo digest of the repository counts, not only the first.
        let retagged = Self.subject("nginx:latest", digests: ["registry.lan/nginx@" + Digests.d("9f"), "nginx@" + Digests.d("8e"),
                                                              "nginx@" + Digests.d("1a")])
        #expect(Self.decide(retagged).status == .upToDate)
        // Another repository's digest equal to the index's does not count.
        let otherRepository = Self.subject("nginx:latest", digests: ["registry.lan/nginx@" + Digests.d("1a")])
        #expect(Self.decide(otherRepository).status == .unknown)
        // The arm64 entry is not this amd64 host's.
        let wrongPlatform = Self.subject("nginx:latest", digests: ["nginx@" + Digests.d("3a")])
        #expect(Self.decide(wrongPlatform).status == .updateAvailable)
        // A single-platform answer is only ever compared by equality.
        let single = RegistryManifest(digest: Digests.d("4b"), mediaType: ManifestMediaType.ociManifest)
        let rebuilt = Self.decide(Self.subject("nginx:latest", digests: ["nginx@" + Digests.d("1a")]), manifest: .success(single))
        #expect(rebuilt.status == .updateAvailable && rebuilt.kind == .digest && rebuilt.candidateDigest == Digests.d("4b"))
        #expect(Self.decide(Self.subject("nginx:latest", digests: ["nginx@" + Digests.d("4b")]), manifest: .success(single)).status == .upToDate)
        let skipped = Self.decide(Self.subject("nginx:latest", digests: ["nginx@" + Digests.d("8e")], skippedDigest: Digests.d("1a")))
        #expect(skipped.status == .skipped)
    }

    @Test func versionsAndFloatingTags() {
        let tags = ["1.27.1", "1.27.2", "1.27.3", "1.28.0", "1.28.0-alpine", "1.29.0-rc1", "mainline", "latest", "1", "2"]
        let minor = Self.decide(Self.subject("nginx:1.27.1", digests: ["nginx@" + Digests.d("1a")]), tags: tags)
        #expect(minor.status == .updateAvailable && minor.kind == .minor && minor.candidateTag == "1.28.0" && minor.intermediateCount == 2)
        let sameMajor = Self.decide(Self.subject("nginx:1.28.0-alpine", digests: ["nginx@" + Digests.d("1a")]), tags: tags)
        #expect(sameMajor.status == .upToDate)
        let skipped = Self.decide(Self.subject("nginx:1.27.1", digests: ["nginx@" + Digests.d("1a")], skippedTag: "1.28.0"), tags: tags)
        #expect(skipped.status == .upToDate && skipped.reason?.contains("skipped") == true)
        // `1`: watched by digest; `2` proposed only with follow_major.
        let floating = Self.subject("nginx:1", digests: ["nginx@" + Digests.d("1a")])
        #expect(Self.decide(floating, tags: tags).status == .upToDate)
        let follow = Self.decide(Self.subject("nginx:1", digests: ["nginx@" + Digests.d("1a")], labels: ["unity.update.follow_major": "true"]), tags: tags)
        #expect(follow.status == .updateAvailable && follow.kind == .major && follow.candidateTag == "2")
        // A version tag without a repo digest: a newer tag is still news, the digest cannot be compared.
        #expect(Self.decide(Self.subject("nginx:1.27.1"), tags: tags).status == .updateAvailable)
        #expect(Self.decide(Self.subject("nginx:1.28.0")).status == .unknown)
        #expect(Self.decide(Self.subject("nginx:1.28.0", labels: ["wud.watch.digest": "false"]), tags: tags).status == .upToDate)
    }

    @Test func registryFailuresAreNeverUpToDate() {
        let limited = Self.decide(Self.subject("nginx", digests: ["nginx@" + Digests.d("1a")]),
                                  manifest: .failure(.rateLimited(registry: "docker.io", retryAfterSeconds: 30)))
        #expect(limited.status == .unknown && limited.transient && limited.reason?.contains("rate-limited") == true)
        let missing = Self.decide(Self.subject("nginx", digests: ["nginx@" + Digests.d("1a")]),
                                  manifest: .failure(.notFound(reference: "docker.io/library/nginx:latest")))
        #expect(missing.status == .unknown && !missing.transient)
    }
}
