import Testing
@testable import UnityParsers

/// Remote output is untrusted: every parser must return or throw `ParseError` on anything, and
/// always terminate. A trap here would take the whole server down with it.
@Suite("Parser robustness")
struct ParserRobustnessTests {
    /// Each parser as "parse and report whether it succeeded".
    static let parsers: [(name: String, parse: @Sendable (String) -> Bool)] = [
        ("ProcStat", { (try? ProcStat.parse($0)) != nil }),
        ("ProcMeminfo", { (try? ProcMeminfo.parse($0)) != nil }),
        ("ProcLoadavg", { (try? ProcLoadavg.parse($0)) != nil }),
        ("ProcUptime", { (try? ProcUptime.parse($0)) != nil }),
        ("UptimeCommand", { (try? UptimeCommand.parse($0)) != nil }),
        ("DiskFree", { (try? DiskFree.parse($0)) != nil }),
        ("Lsblk", { (try? Lsblk.parse($0)) != nil }),
        ("ProcMdstat", { (try? ProcMdstat.parse($0)) != nil }),
        ("MdadmDetail", { (try? MdadmDetail.parse($0)) != nil }),
    ]

    static let folders = ["proc-stat", "proc-meminfo", "proc-loadavg-uptime", "df", "lsblk-json", "mdstat", "mdadm-detail"]

    /// Which parser a fixture was captured for (nil: captured for none, e.g. `df -h`).
    static func owner(of path: String) -> String? {
        switch path {
        case _ where path.hasPrefix("proc-stat/"): return "ProcStat"
        case _ where path.hasPrefix("proc-meminfo/"): return "ProcMeminfo"
        case _ where path.contains("uptime-cmd"): return "UptimeCommand"
        case _ where path.hasSuffix("proc-uptime.txt"): return "ProcUptime"
        case _ where path.hasPrefix("proc-loadavg-uptime/"): return "ProcLoadavg"
        case "df/jc-df-h-ubuntu1804.txt": return nil
        case _ where path.hasPrefix("df/"): return "DiskFree"
        case _ where path.hasPrefix("lsblk-json/"): return "Lsblk"
        case _ where path.hasPrefix("mdstat/"): return "ProcMdstat"
        case _ where path.hasPrefix("mdadm-detail/"): return "MdadmDetail"
        default: return nil
        }
    }

    static func allFixtures() throws -> [String] {
        try folders.flatMap { try FixtureLoader.files(in: $0) }
    }

    @Test func emptyAndBlankInputIsRejected() {
        for input in ["", "\n", "\n\n\n", "   \t  ", "\r\n"] {
            for parser in Self.parsers {
                #expect(!parser.parse(input), "\(parser.name) accepted \(input.debugDescription)")
            }
        }
    }

    @Test func garbageIsRejected() {
        let garbage = [
            "hello world", "::::", "[[[[[[", "{", "}", "{\"blockdevices\":", "\u{0}\u{1}\u{2}\u{FFFD}", "💥 🧨 💣",
            String(repeating: "9", count: 10_000), String(repeating: "a b c : d\n", count: 2_000),
            "-1 -2 -3 -4/-5 -6", "nan nan nan 1/1 1", "Filesystem", "cpu", "MemTotal:", "md0 :",
            String(repeating: "(", count: 5_000), String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000),
        ]
        for input in garbage {
            for parser in Self.parsers {
                #expect(!parser.parse(input), "\(parser.name) accepted garbage \(input.prefix(40).debugDescription)")
            }
        }
    }

    /// Each fixture is accepted by its own parser and refused by every other one, so a collector
    /// wired to the wrong command fails loudly instead of storing nonsense.
    @Test func fixturesAreOnlyAcceptedByTheirOwnParser() throws {
        for path in try Self.allFixtures() {
            let text = try FixtureLoader.text(path)
            for parser in Self.parsers {
                let accepted = parser.parse(text)
                #expect(accepted == (parser.name == Self.owner(of: path)), "\(parser.name) on \(path)")
            }
        }
    }

    /// Cut every fixture at a dozen points and at every line end: no crash, and the empty cut
    /// always fails.
    @Test(arguments: folders)
    func truncatedFixtures(folder: String) throws {
        for path in try FixtureLoader.files(in: folder) {
            let bytes = Array(try FixtureLoader.data(path))
            var cuts = Set((0...12).map { bytes.count * $0 / 12 })
            for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") && cuts.count < 400 {
                cuts.insert(offset)
                cuts.insert(offset + 1)
            }
            for cut in cuts.sorted() {
                let text = String(decoding: bytes.prefix(cut), as: UTF8.self)
                for parser in Self.parsers {
                    let accepted = parser.parse(text)
                    if cut == 0 { #expect(!accepted, "\(parser.name) accepted empty cut of \(path)") }
                }
            }
        }
    }

    /// Deterministic mutations of every fixture, fed to every parser. Only termination and the
    /// absence of traps are required; the seed is fixed so a failure reproduces exactly.
    @Test(arguments: folders)
    func fuzzedFixtures(folder: String) throws {
        var parsed = 0
        for path in try FixtureLoader.files(in: folder) {
            let original = Array(try FixtureLoader.data(path))
            var random = SplitMix64(seed: FNV1a.hash(path))
            // Bigger fixtures get fewer rounds (the 14 KB lsblk JSON takes ~25 ms per parse in a
            // debug build) so the suite stays well under a minute on two cores.
            let rounds = original.count > 50_000 ? 40 : original.count > 6_000 ? 100 : 300
            for _ in 0..<rounds {
                var bytes = original
                for _ in 0...random.next(below: 3) { Mutator.mutate(&bytes, using: &random) }
                let text = String(decoding: bytes, as: UTF8.self)
                for parser in Self.parsers {
                    _ = parser.parse(text)
                    parsed += 1
                }
            }
        }
        #expect(parsed > 0)
    }
}

/// Small, seedable PRNG (SplitMix64) so fuzz cases are identical on every run and machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        bound <= 0 ? 0 : Int(next() % UInt64(bound))
    }
}

/// Stable string hash for seeds (`hashValue` is randomised per process).
enum FNV1a {
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// The kinds of damage SSH output suffers in practice (cut connections, interleaved writes) plus
/// the classic parser killers (huge numbers, signs, stray delimiters).
enum Mutator {
    static let interesting: [[UInt8]] = [
        Array("99999999999999999999999".utf8), Array("-".utf8), Array("-1".utf8), Array("18446744073709551615".utf8),
        Array("\n".utf8), Array(":".utf8), Array(" : ".utf8), Array("[".utf8), Array("]".utf8), Array("(".utf8),
        Array("%".utf8), Array("=".utf8), Array("/".utf8), Array("\"".utf8), Array("{".utf8), Array("null".utf8),
        Array("\r\n".utf8), Array([0xFF, 0xFE]), Array("\u{0}".utf8),
    ]

    static func mutate(_ bytes: inout [UInt8], using random: inout SplitMix64) {
        guard !bytes.isEmpty else {
            bytes = interesting[random.next(below: interesting.count)]
            return
        }
        switch random.next(below: 8) {
        case 0:  // flip one byte
            bytes[random.next(below: bytes.count)] = UInt8(truncatingIfNeeded: random.next())
        case 1:  // drop a line
            var lines = split(bytes)
            lines.remove(at: random.next(below: lines.count))
            bytes = join(lines)
        case 2:  // duplicate a line
            var lines = split(bytes)
            let index = random.next(below: lines.count)
            lines.insert(lines[index], at: index)
            bytes = join(lines)
        case 3:  // truncate
            bytes.removeLast(random.next(below: bytes.count))
        case 4, 5:  // replace a digit with a huge number or a sign
            let digits = bytes.indices.filter { bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") }
            guard !digits.isEmpty else { return }
            let at = digits[random.next(below: digits.count)]
            let replacement = random.next(below: 2) == 0 ? interesting[0] : interesting[2]
            bytes.replaceSubrange(at...at, with: replacement)
        case 6:  // insert a delimiter or special value
            let insert = interesting[random.next(below: interesting.count)]
            bytes.insert(contentsOf: insert, at: random.next(below: bytes.count + 1))
        default:  // swap two lines
            var lines = split(bytes)
            guard lines.count > 1 else { return }
            lines.swapAt(random.next(below: lines.count), random.next(below: lines.count))
            bytes = join(lines)
        }
    }

    private static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    }

    private static func join(_ lines: [ArraySlice<UInt8>]) -> [UInt8] {
        Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }
}
