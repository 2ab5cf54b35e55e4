import Foundation
import Testing
@testable import UnityInfrastructure

/// Deterministic mutation fuzzing of the splitter and the assembler: thousands of damaged
/// streams (bytes flipped, lines dropped, duplicated or swapped, markers spliced in, cuts) must
/// never trap, and every section must keep a non-empty name.
@Suite struct SplitFuzzTests {
    /// SplitMix64: seeded, so a failure is reproducible from the printed seed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// Uniform-enough integer in 0..<bound (bound ≥ 1); modulo bias is irrelevant here.
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    }

    static let nonce = "FuzzNonce0123456789abcdefABCDEF0"

    static func corpus() throws -> String {
        let m = "@@UNITY-\(nonce)"
        var text = ""
        for (name, fixture) in [
            ("proc-stat", "proc-stat/gopsutil-stat-4cpu.txt"), ("df", "df/rohanboard-df-B1-nfs-100pct.txt"),
            ("smartctl:/dev/sda", "smartctl-json/ata-seagate-reallocated-304-passed.json"),
            ("zpool-list", "zpool-synthetic/zpool-list-Hp.txt"), ("mdstat", "mdstat/pymdstat-07-raid1-failed-member.txt"),
        ] {
            let out = try FixtureLoader.text(fixture)
            text += "\(m) BEGIN \(name)\n\(out)\n\(m) STDERR \(name)\n\n\(m) END 0 - \(name)\n"
        }
        return text + "\(m) DONE\n"
    }

    static func mutate(_ lines: inout [String], _ rng: inout SeededGenerator) {
        guard !lines.isEmpty else { return }
        let index = rng.below(lines.count)
        let m = "@@UNITY-\(nonce)"
        switch rng.below(7) {
        case 0: lines.remove(at: index)
        case 1: lines.insert(lines[index], at: index)
        case 2: lines.swapAt(index, rng.below(lines.count))
        case 3: lines[index] = String(lines[index].prefix(rng.below(40)))
        case 4: lines.insert(["\(m) BEGIN x", "\(m) STDERR x", "\(m) END 1 - x", "\(m) END z q", "\(m) DONE",
                              "\(m) BEGIN ", "\(m) END 99999999999999999999 timeout y"][rng.below(7)],
                             at: index)
        case 5:
            var bytes = Array(lines[index].utf8)
            if !bytes.isEmpty { bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.below(256)) }
            lines[index] = String(decoding: bytes, as: UTF8.self)
        default: lines.removeSubrange(index...)
        }
    }

    @Test func thousandsOfMutatedStreamsNeverTrap() throws {
        let base = try Self.corpus().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var rng = SeededGenerator(state: 0x5EED_2026)
        for round in 0..<3000 {
            var lines = base
            for _ in 0...rng.below(4) { Self.mutate(&lines, &rng) }
            let text = lines.joined(separator: rng.below(5) == 0 ? "\r\n" : "\n")
            let sections = CollectionOutput.split(text, nonce: Self.nonce, expected: ["proc-stat", "uname"])
            #expect(sections.allSatisfy { !$0.name.isEmpty }, "round \(round)")
            let (snapshot, errors) = HostSnapshot.assemble(sections: sections, previous: nil)
            #expect(snapshot.smart.count <= 2 && errors.count < 1_000, "round \(round)")
        }
    }
}
