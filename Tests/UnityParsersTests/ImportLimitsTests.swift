import Testing
@testable import UnityParsers

/// The import parsers' limits and the Host pattern index that keeps ssh config matching from being
/// hosts × blocks globbing.
@Suite struct ImportLimitsTests {
    static let limits = ImportLimits(maxHosts: 10, maxWildcardPatterns: 3, maxHostEntries: 30)

    @Test func theIndexFindsExactlyTheBlocksGlobbingWouldFind() {
        let blocks: [[String]] = [
            ["nas", "NAS2"], ["*.lab"], ["pve?"], ["web*", "!web9"], ["*"], ["*a*"], ["db-?.lan", "mail"], ["!*.lab"], ["x*y"],
        ]
        let index = SSHHostPatternIndex(blocks)
        for alias in ["nas", "nas2", "pve1", "pve10", "web9", "web1.lab", "db-a.lan", "mail", "xay", "xy", "lab", "", "Z"] {
            let globbed = blocks.indices.filter { SSHConfigImport.matches(alias, blocks[$0]) }
            let candidates = index.candidates(for: alias)
            #expect(globbed.allSatisfy(candidates.contains), "\(alias): \(candidates) misses some of \(globbed)")
            #expect(candidates == candidates.sorted() && Set(candidates).count == candidates.count)
        }
    }

    @Test func exactAndAnchoredPatternsAreNotTriedOnEveryHost() {
        var blocks = (0..<1_000).map { ["host\($0).lab"] }
        blocks += (0..<500).map { ["*.zone\($0).lab"] }
        blocks.append(["host4*"])
        let index = SSHHostPatternIndex(blocks)
        #expect(index.candidates(for: "host17.lab") == [17])
        #expect(index.candidates(for: "host42.lab") == [42, 1_500])
        #expect(index.candidates(for: "a.zone7.lab") == [1_007])
    }

    @Test func sshConfigsOverTheLimitsThrowNamingTheLimit() throws {
        let hosts = (0..<11).map { "Host h\($0)\n" }.joined()
        #expect(throws: ImportLimitExceeded.hosts(Self.limits)) { try SSHConfigImport.parse(hosts, limits: Self.limits) }
        #expect(throws: ImportLimitExceeded.wildcardPatterns(Self.limits)) {
            try SSHConfigImport.parse("Host a* b*\nHost c?\nHost !d*\n", limits: Self.limits)
        }
        // The same alias twice is one host; within the limits the result is the unlimited one.
        let text = "Host a b a\n User u\nHost *\n Port 22\n"
        #expect(try SSHConfigImport.parse(text, limits: Self.limits) == SSHConfigImport.parse(text))
    }

    @Test func ansibleRangesAreCountedBeforeTheyAreExpanded() throws {
        #expect(throws: ImportLimitExceeded.hosts(Self.limits)) { try AnsibleInventoryImport.parse("n[1:999][1:999999999]\n", limits: Self.limits) }
        #expect(throws: ImportLimitExceeded.hosts(Self.limits)) { try AnsibleInventoryImport.parse("[a]\nw[1:6]\n[b]\nv[1:5]\n", limits: Self.limits) }
        // The same hosts under many groups: entries, not hosts, run out.
        let groups = (0..<7).map { "[g\($0)]\nw[1:5]\n" }.joined()
        #expect(throws: ImportLimitExceeded.hostEntries(Self.limits)) { try AnsibleInventoryImport.parse(groups, limits: Self.limits) }
        #expect(try AnsibleInventoryImport.parse("[a]\nw[1:5]\n[b]\nw[1:5]\n", limits: Self.limits).servers.count == 5)
        for pattern in ["h[08:10]", "h[1:5:2]", "h[x:]", "db-[a:c]", "n[1:3][a:b].lab", "x", "h[5:1]"] {
            #expect(AnsibleInventoryImport.expansionCount(pattern) == AnsibleInventoryImport.expand(pattern).count, "\(pattern)")
        }
        #expect(AnsibleInventoryImport.expansionCount("h[-9223372036854775808:9223372036854775807]") == .max)
        #expect(AnsibleInventoryImport.expand("h[-9223372036854775808:9223372036854775807]").count == 1_001)
    }
}
