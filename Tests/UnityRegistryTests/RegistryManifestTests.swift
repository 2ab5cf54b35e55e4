import Foundation
import Testing
import UnityRegistry
import UnityRegistryTestSupport

/// Manifests and tags against a real docker-registry (distribution 2.8.2) with images pushed by skopeo.
@Suite struct RegistryManifestTests {
    @Test func headDigestEqualsWhatSkopeoPushedForOCIAndDockerMediaTypes() async throws {
        let registry = try TestRegistry.open()
        let layout = try newLayout()
        try layout.tag(try layout.addImage(content: "1.0.0"), as: "1.0.0")
        let repository = uniqueRepository()
        let ociDigest = try registry.push(layout, ref: "1.0.0", repository: repository, tag: "oci")
        let dockerDigest = try registry.push(layout, ref: "1.0.0", repository: repository, tag: "docker", format: .dockerV2Schema2)
        #expect(ociDigest != dockerDigest)
        try await withRegistryClient(access: openAccess) { client in
            let oci = try await client.manifest(for: try reference(registry.host, repository, tag: "oci"))
            #expect(oci.digest == ociDigest)
            #expect(oci.mediaType == ManifestMediaType.ociManifest)
            #expect(oci.platforms.isEmpty && !oci.isIndex)
            let docker = try await client.manifest(for: try reference(registry.host, repository, tag: "docker"))
            #expect(docker.digest == dockerDigest)
            #expect(docker.mediaType == ManifestMediaType.dockerManifest)
            // By digest, too.
            let pinned = try ImageReference.parse("\(registry.host)/\(repository)@\(dockerDigest)")
            #expect(try await client.manifest(for: pinned).digest == dockerDigest)
        }
        // A single-platform manifest with a digest header is one HEAD, nothing else.
        #expect(registry.manifestRequestCount(repository: repository, userAgentPrefix: "Unity-Registry") == 3)
    }

    @Test func indexAnswersItsDigestAndPlatformsWithoutTheAttestation() async throws {
        let registry = try TestRegistry.open()
        let layout = try newLayout()
        let platforms = [TestOCILayout.Platform(architecture: "amd64"), TestOCILayout.Platform(architecture: "arm64", variant: "v8")]
        let (index, images) = try layout.addIndex(content: "2.0.0", platforms: platforms, attestation: true)
        try layout.tag(index, as: "2.0.0")
        let repository = uniqueRepository()
        let pushed = try registry.push(layout, ref: "2.0.0", repository: repository, tag: "2.0.0")
        #expect(pushed == index.digest)
        try await withRegistryClient(access: openAccess) { client in
            let manifest = try await client.manifest(for: try reference(registry.host, repository, tag: "2.0.0"))
            #expect(manifest.digest == index.digest)
            #expect(manifest.mediaType == ManifestMediaType.ociIndex)
            #expect(manifest.isIndex)
            #expect(manifest.platforms == [
                PlatformManifest(digest: images[0].digest, os: "linux", architecture: "amd64"),
                PlatformManifest(digest: images[1].digest, os: "linux", architecture: "arm64", variant: "v8"),
            ])
        }
        // HEAD, then one GET of the index by its digest.
        #expect(registry.manifestRequestCount(repository: repository, userAgentPrefix: "Unity-Registry") == 2)
    }

    @Test func dockerManifestListIsAnIndexToo() async throws {
        let registry = try TestRegistry.open()
        let layout = try newLayout()
        let (index, _) = try layout.addIndex(content: "3.0.0", platforms: [.init(architecture: "amd64"), .init(architecture: "arm64")],
                                             attestation: false)
        try layout.tag(index, as: "3.0.0")
        let repository = uniqueRepository()
        let pushed = try registry.push(layout, ref: "3.0.0", repository: repository, tag: "3", format: .dockerV2Schema2)
        try await withRegistryClient(access: openAccess) { client in
            let manifest = try await client.manifest(for: try reference(registry.host, repository, tag: "3"))
            #expect(manifest.digest == pushed)
            #expect(manifest.mediaType == ManifestMediaType.dockerManifestList)
            #expect(manifest.platforms.map(\.architecture) == ["amd64", "arm64"])
            #expect(manifest.platforms.allSatisfy { $0.digest.hasPrefix("sha256:") })
        }
    }

    @Test func nestedIndexIsResolved() async throws {
        let registry = try TestRegistry.open()
        let layout = try newLayout()
        let (inner, images) = try layout.addIndex(content: "4.0.0", platforms: [.init(architecture: "amd64"), .init(architecture: "riscv64")],
                                                  attestation: true)
        try layout.tag(inner, as: "inner")
        let repository = uniqueRepository()
        try registry.push(layout, ref: "inner", repository: repository, tag: "inner")
        let outer = try JSONSerialization.data(withJSONObject: [
            "schemaVersion": 2, "mediaType": ManifestMediaType.ociIndex,
            "manifests": [["mediaType": ManifestMediaType.ociIndex, "digest": inner.digest, "size": inner.size]],
        ], options: [.sortedKeys])
        let outerDigest = try registry.putManifest(outer, mediaType: ManifestMediaType.ociIndex, repository: repository, reference: "nested")
        try await withRegistryClient(access: openAccess) { client in
            let manifest = try await client.manifest(for: try reference(registry.host, repository, tag: "nested"))
            #expect(manifest.digest == outerDigest)
            #expect(manifest.platforms.map(\.digest) == images.map(\.digest))
        }
    }

    @Test func movingATagChangesTheDigest() async throws {
        let registry = try TestRegistry.open()
        let layout = try newLayout()
        try layout.tag(try layout.addImage(content: "build 1"), as: "v1")
        try layout.tag(try layout.addImage(content: "build 2"), as: "v2")
        let repository = uniqueRepository()
        let first = try registry.push(layout, ref: "v1", repository: repository, tag: "stable")
        let stable = try reference(registry.host, repository, tag: "stable")
        try await withRegistryClient(access: openAccess) { client in
            #expect(try await client.manifest(for: stable).digest == first)
            #expect(try await client.manifest(for: stable).digest == first)
            let second = try registry.push(layout, ref: "v2", repository: repository, tag: "stable")
            #expect(second != first)
            #expect(try await client.manifest(for: stable).digest == second)
        }
    }

    @Test func missingTagAndRepositoryAreNotFound() async throws {
        let registry = try TestRegistry.open()
        let repository = uniqueRepository()
        try await withRegistryClient(access: openAccess) { client in
            let ref = try reference(registry.host, repository, tag: "nope")
            await #expect(throws: RegistryError.notFound(reference: ref.canonical)) { try await client.manifest(for: ref) }
        }
    }

    /// distribution 2.8 answers tags/list in one page whatever `n` says (pagination came with v3);
    /// the paging itself is tested against a responder in `RegistryTagPagingTests`.
    @Test func tagsOfARealRegistryUpToTheLimit() async throws {
        let registry = try TestRegistry.open()
        let layout = try newLayout()
        try layout.tag(try layout.addImage(content: "t"), as: "t")
        let repository = uniqueRepository()
        let names = ["1.0.0", "1.1.0", "2.0.0", "latest", "stable"]
        for name in names { try registry.push(layout, ref: "t", repository: repository, tag: name) }
        var options = RegistryClient.Options()
        options.tagPageSize = 2
        try await withRegistryClient(access: openAccess, options: options) { client in
            let ref = try reference(registry.host, repository, tag: "latest")
            #expect(try await client.tags(of: ref, limit: 100).sorted() == names)
            #expect(try await client.tags(of: ref, limit: 3).count == 3)
            #expect(try await client.tags(of: ref, limit: 0).isEmpty)
        }
    }
}
