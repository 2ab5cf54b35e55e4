import Testing
@testable import UnityParsers

@Suite struct ZpoolFuzzTests {
    static let fixtures: [String] =
        ((try? FixtureLoader.files(in: "zpool-status")) ?? []) + ((try? FixtureLoader.files(in: "zpool-synthetic")) ?? [])

    /// Only "no crash, no hang": any result or a ParseError is acceptable.
    @Test(arguments: fixtures)
    func mutatedOutputNeverCrashesTheParsers(_ path: String) throws {
        let original = try FixtureLoader.text(path)
        var mutator = DiskFuzzMutator(seed: UInt64(truncatingIfNeeded: path.utf8.reduce(7) { $0 &* 31 &+ Int($1) }))
        var parsed = 0
        for input in mutator.mutants(of: original, count: 250) {
            if let pools = try? ZpoolStatusParser.parse(input) {
                parsed += 1
                for pool in pools {
                    _ = pool.unhealthyDevices
                    _ = pool.allDevices.map(\.totalErrors)
                    _ = pool.errors?.hasDataErrors
                }
            }
            _ = try? ZpoolListParser.parse(input)
            _ = try? SmartctlParser.parse(input)
        }
        #expect(parsed > 0)
    }

    /// Cut each capture at every line end and at a dozen byte offsets (mid-word, mid-number,
    /// mid-UTF-8). The result may be fewer pools or a ParseError, never a crash — and when a
    /// pool still parses, it is the pool that was there.
    @Test(arguments: fixtures)
    func truncatedOutputParsesOrThrows(_ path: String) throws {
        let original = try FixtureLoader.text(path)
        let names = Set(((try? ZpoolStatusParser.parse(original)) ?? []).map(\.name))
        var cuts = DiskFuzzMutator.truncations(of: original, points: 12)
        var prefix = ""
        for line in original.split(separator: "\n", omittingEmptySubsequences: false) {
            prefix += line + "\n"
            cuts.append(prefix)
        }
        for cut in cuts {
            do {
                let pools = try ZpoolStatusParser.parse(cut)
                #expect(pools.allSatisfy { names.contains($0.name) || names.isEmpty })
            } catch {
                #expect(!error.reason.isEmpty)
            }
            _ = try? ZpoolListParser.parse(cut)
        }
    }

    @Test(arguments: ["garbage", "pool", "state: ONLINE", "{\"pools\": []}", "NAME STATE READ WRITE CKSUM", "\u{0}\u{FF}"])
    func nonZpoolInputIsAParseError(_ input: String) {
        #expect(throws: ParseError.self) { try ZpoolStatusParser.parse(input) }
    }

    @Test func poolWithoutStateIsRejectedWithItsLine() {
        #expect(throws: ParseError(source: "zpool status", line: 2, reason: "pool 'tank' has no 'state:' line")) {
            try ZpoolStatusParser.parse("\n  pool: tank\nconfig:\n")
        }
        #expect(throws: ParseError(source: "zpool status", line: 1, reason: "'pool:' line without a pool name")) {
            try ZpoolStatusParser.parse("  pool:\n state: ONLINE\n")
        }
    }

    /// Hostile nesting: one more space per line must not build a tree deep enough to overflow
    /// the stack in recursive Equatable/Codable/deinit.
    @Test func deepIndentationIsCapped() throws {
        var text = "  pool: deep\n state: ONLINE\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n"
        for level in 0..<2_000 { text += "\t" + String(repeating: " ", count: level) + "v\(level) ONLINE 0 0 0\n" }
        let pool = try #require(try ZpoolStatusParser.parse(text).first)
        var depth = 0
        var node = pool.root
        while let current = node {
            depth += 1
            node = current.children.last
        }
        #expect(depth <= 16)
        #expect(pool.root?.flattened.count == 2_000)
        #expect(pool == pool)
    }
}
