import Testing
@testable import UnityRegistry

/// Parsing, ordering and the policy options (include, exclude, pre-releases, same major, transform).
/// Cases named "written" use tag lists typed here in the shape a registry serves (linuxserver.io's
/// scheme, for which no real captured list was found); the rest read the real fixtures.
@Suite struct TagVersionTests {
    @Test func partsVariantsAndPreReleases() throws {
        let plain = try #require(TagVersion.parse("v1.2.3-alpine"))
        #expect(plain.numbers == [1, 2, 3] && plain.variant == "alpine" && plain.preRelease == nil)
        let glued = try #require(TagVersion.parse("19beta3-trixie"))
        #expect(glued.numbers == [19] && glued.preRelease == "beta3" && glued.variant == "trixie")
        let dotted = try #require(TagVersion.parse("3.0.0-rc.2"))
        #expect(dotted.preRelease == "rc.2" && dotted.variant.isEmpty)
        let linuxserver = try #require(TagVersion.parse("1.40.2.8395-c67dce28e-ls228"))
        #expect(linuxserver.numbers == [1, 40, 2, 8395] && linuxserver.build == 228 && linuxserver.variant.isEmpty)
        let qbittorrent = try #require(TagVersion.parse("4.6.5-r0-ls340"))
        #expect(qbittorrent.revision == 0 && qbittorrent.build == 340 && qbittorrent.variant.isEmpty)
        #expect(TagVersion.parse("16-alpine")?.partCount == 1)
        #expect(TagVersion.parse("3.7.0-ea.2-nanoserver-ltsc2022")?.isPreRelease == true)
        for word in ["dev", "nightly", "alpha", "beta.2", "rc1", "preview"] {
            #expect(TagVersion.parse("2.0.0-\(word)")?.isPreRelease == true, "\(word)")
        }
        for refused in ["", "latest", "1.2.3.4.5", "9999999999.1", "1.2.3a", "v", "sha256", ".1"] {
            #expect(TagVersion.parse(refused) == nil, "\(refused)")
        }
    }

    @Test func ordering() throws {
        func v(_ tag: String) throws -> TagVersion { try #require(TagVersion.parse(tag)) }
        #expect(try v("3.0.0-rc.2") < v("3.0.0"))
        #expect(try v("3.0.0-rc.1") < v("3.0.0-rc.2"))
        #expect(try v("3.0.0-alpha") < v("3.0.0-beta.1"))
        #expect(try v("15beta4") < v("15rc1"))
        #expect(try v("1.9.9") < v("1.10.0"))
        #expect(try v("1.10.2-ls181") < v("1.10.2-ls183"))
        #expect(try v("1.23.1-ls999") < v("1.24.0-ls1"))
        #expect(try v("4.6.5-r0-ls340") < v("4.6.5-r1-ls340"))
    }

    @Test func watchModes() throws {
        let policy = try TagPolicy().validated()
        #expect(TagWatchMode.of("latest", policy: policy) == .digestOnly)
        #expect(TagWatchMode.of("mainline-alpine", policy: policy) == .digestOnly)
        guard case .floatingMajor = TagWatchMode.of("16", policy: policy) else { Issue.record("16 floats"); return }
        guard case .version = TagWatchMode.of("16.4", policy: policy) else { Issue.record("16.4 is a version"); return }
    }

    static func candidate(_ image: String, _ current: String, _ policy: TagPolicy) throws -> TagCandidate? {
        let compiled = try policy.validated()
        return TagCandidates.candidate(current: try #require(compiled.version(of: current)), tags: try TagFixtures.tags(image),
                                       policy: compiled)
    }

    @Test func includeExcludeAndSameMajor() throws {
        #expect(try Self.candidate("postgres", "16.2", TagPolicy(include: #"^16\.\d+$"#))?.tag == "16.15")
        #expect(try Self.candidate("postgres", "16.2", TagPolicy(sameMajorOnly: true))?.tag == "16.15")
        #expect(try Self.candidate("postgres", "16.2", TagPolicy(sameMajorOnly: true))?.kind == .minor)
        #expect(try Self.candidate("postgres", "16.2", TagPolicy(exclude: #"^1[78]\."#))?.tag == "16.15")
        #expect(try Self.candidate("postgres", "16.15", TagPolicy(sameMajorOnly: true)) == nil)
        // `16-alpine` only ever proposes one-part alpine tags, never `18.6-alpine` or `18`.
        #expect(try Self.candidate("postgres", "16-alpine", TagPolicy())?.tag == "18-alpine")
    }

    @Test func preReleasesOnlyWhenAskedOrAlreadyOnOne() throws {
        #expect(try Self.candidate("postgres", "18", TagPolicy()) == nil)
        #expect(try Self.candidate("postgres", "18", TagPolicy(preReleases: true))?.tag == "19beta3")
        #expect(try Self.candidate("postgres", "19beta1", TagPolicy())?.tag == "19beta3")
        #expect(try Self.candidate("registry", "3.0.0-rc.1", TagPolicy())?.tag == "3.1.1")
        #expect(try Self.candidate("registry", "2.8.1", TagPolicy(preReleases: true))?.tag == "3.1.1")
    }

    @Test func transformReadsOddSchemes() throws {
        // Percona's `8.0.26-16`: the build after `-` makes each release its own variant.
        #expect(try Self.candidate("percona", "8.0.26-16", TagPolicy()) == nil)
        let transform = try #require(TagTransform.parse(#"^(\d+\.\d+\.\d+)-(\d+)$ => $1.$2"#))
        let candidate = try Self.candidate("percona", "8.0.26-16", TagPolicy(transform: transform))
        #expect(candidate?.tag == "8.0.46-37", "the registry's tag, not the rewritten text")
        #expect(candidate?.kind == .patch)
        #expect(TagTransform.parse(#"^(\d+\.\d+)-.*$"#) == TagTransform(pattern: #"^(\d+\.\d+)-.*$"#, replacement: "$1"))
        #expect(throws: TagPolicyError.self) { try TagPolicy(include: "(").validated() }
    }

    @Test func linuxserverSchemeWritten() throws {
        let tags = ["latest", "1.40.2.8395-c67dce28e-ls228", "1.40.2.8395-c67dce28e-ls229", "1.40.3.8555-fef15d30c-ls230",
                    "1.41.0.8992-8463ad060-ls240", "version-1.41.0.8992-8463ad060", "1.41.1.9057-af5eaea7a-ls241-beta"]
        let policy = try TagPolicy().validated()
        let current = try #require(TagVersion.parse("1.40.2.8395-c67dce28e-ls228"))
        let candidate = try #require(TagCandidates.candidate(current: current, tags: tags, policy: policy))
        #expect(candidate.tag == "1.41.0.8992-8463ad060-ls240")
        #expect(candidate.kind == .minor && candidate.intermediateCount == 2)
        let rebuild = TagCandidates.candidate(current: try #require(TagVersion.parse("1.10.2-ls181")),
                                              tags: ["1.10.2-ls181", "1.10.2-ls183", "1.10.2"], policy: policy)
        #expect(rebuild?.tag == "1.10.2-ls183" && rebuild?.kind == .patch)
    }
}
