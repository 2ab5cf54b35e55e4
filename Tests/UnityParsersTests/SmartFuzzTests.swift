import Testing
@testable import UnityParsers

/// Deterministic mutation fuzzing shared by the smartctl and zpool tests: the same seed always
/// produces the same inputs, so a failure is reproducible from the test log alone.
struct DiskFuzzMutator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64: tiny, fast and good enough to spread mutations around.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Numbers and JSON values that break naive parsers: overflow, negatives, floats, wrong types.
    static let hostileValues: [String] = [
        "99999999999999999999999999", "-1", "-9223372036854775808", "9223372036854775807",
        "18446744073709551616", "1e308", "1e999", "-0", "0.5", "NaN", "1.2K", "9E", "\"42\"", "\"\"",
        "null", "true", "[]", "{}", "[1,2,3]", "{\"value\": -1}", "\"\\u0000\"",
    ]

    static let hostileBytes: [UInt8] = Array("\t\n\r :{}[]\",-0123456789%/.xKGT".utf8) + [0, 0xFF, 0xC3]

    /// `count` mutants of `input`, each with one to four mutations.
    mutating func mutants(of input: String, count: Int) -> [String] {
        let original = Array(input.utf8)
        return (0..<count).map { _ in
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &self) { mutate(&bytes) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else {
            bytes = Array(Self.hostileValues.randomElement(using: &self).map { $0.utf8 } ?? "x".utf8)
            return
        }
        let position = Int.random(in: 0..<bytes.count, using: &self)
        switch Int.random(in: 0..<9, using: &self) {
        case 0:
            bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &self)
        case 1:
            bytes.removeSubrange(position...)
        case 2:
            bytes.insert(Self.hostileBytes.randomElement(using: &self) ?? 0, at: position)
        case 3, 4:
            replaceNumber(in: &bytes, near: position)
        default:
            mutateLines(&bytes)
        }
    }

    /// Swaps the digit run at or after `position` for a hostile value, e.g. `"value": 304` becomes
    /// `"value": "42"` or `"value": 1e999` — keeping the JSON valid often enough to reach the
    /// field-reading code instead of stopping at the JSON syntax check.
    private mutating func replaceNumber(in bytes: inout [UInt8], near position: Int) {
        let isDigit = { (byte: UInt8) in byte >= 48 && byte <= 57 }
        guard let start = bytes[position...].firstIndex(where: isDigit) else { return }
        let end = bytes[start...].firstIndex { !isDigit($0) && $0 != 46 } ?? bytes.endIndex
        let replacement = Self.hostileValues.randomElement(using: &self) ?? "0"
        bytes.replaceSubrange(start..<end, with: Array(replacement.utf8))
    }

    private mutating func mutateLines(_ bytes: inout [UInt8]) {
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        guard !lines.isEmpty else { return }
        let index = Int.random(in: 0..<lines.count, using: &self)
        switch Int.random(in: 0..<4, using: &self) {
        case 0: lines.remove(at: index)
        case 1: lines.insert(lines[index], at: index)
        case 2: lines.swapAt(index, Int.random(in: 0..<lines.count, using: &self))
        default: lines[index].insert(contentsOf: Array(String(repeating: " ", count: Int.random(in: 1...40, using: &self)).utf8), at: 0)
        }
        bytes = Array(lines.joined(separator: [10]))
    }

    /// Prefixes of `input` cut at `points` evenly spaced places (UTF-8 boundaries not respected on
    /// purpose: a cut can land inside a multi-byte character).
    static func truncations(of input: String, points: Int) -> [String] {
        let bytes = Array(input.utf8)
        guard bytes.count > 1, points > 0 else { return [] }
        return (1...points).map { step in
            String(decoding: bytes.prefix(bytes.count * step / (points + 1)), as: UTF8.self)
        }
    }
}

@Suite struct SmartFuzzTests {
    static let fixtures: [String] = (try? FixtureLoader.files(in: "smartctl-json")) ?? []

    /// Only "no crash, no hang": any report or a ParseError is acceptable.
    @Test(arguments: fixtures)
    func mutatedOutputNeverCrashesTheParsersOrClassifier(_ path: String) throws {
        let original = try FixtureLoader.text(path)
        let baseline = try? SmartctlParser.parse(original)
        var mutator = DiskFuzzMutator(seed: UInt64(truncatingIfNeeded: path.utf8.reduce(5381) { $0 &* 33 &+ Int($1) }))
        var parsed = 0
        for (index, input) in mutator.mutants(of: original, count: 300).enumerated() {
            if let report = try? SmartctlParser.parse(input) {
                parsed += 1
                _ = SmartHealth.assess(current: report, previous: baseline)
                _ = SmartHealth.assess(current: baseline ?? report, previous: report)
            }
            _ = try? SmartctlScanParser.parse(input)
            // The text parsers reject JSON on the first line; a sample is enough to prove it.
            if index.isMultiple(of: 10) {
                _ = try? ZpoolStatusParser.parse(input)
                _ = try? ZpoolListParser.parse(input)
            }
        }
        // The mutations must not all destroy the JSON, or the field-reading code goes untested.
        #expect(parsed > 30)
    }

    @Test(arguments: fixtures)
    func truncatedJSONIsAParseError(_ path: String) throws {
        let original = try FixtureLoader.text(path)
        for cut in DiskFuzzMutator.truncations(of: original, points: 12) {
            #expect(throws: ParseError.self) { try SmartctlParser.parse(cut) }
            #expect(throws: ParseError.self) { try SmartctlScanParser.parse(cut) }
        }
    }

    @Test(arguments: ["", " ", "\n", "garbage", "{", "}", "[]", "{}", "null", "0", "\"smartctl\"", "\u{0}\u{FF}",
                      #"{"smartctl": 5}"#, #"{"smartctl": []}"#, #"{"device": {"name": "/dev/sda"}}"#])
    func nonSmartctlInputIsAParseError(_ input: String) {
        #expect(throws: ParseError.self) { try SmartctlParser.parse(input) }
    }

    /// Hostile nesting must be refused, not recursed into until the stack runs out.
    @Test func deeplyNestedJSONIsAParseError() {
        let deep = "{\"smartctl\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: ParseError.self) { try SmartctlParser.parse(deep) }
        #expect(throws: ParseError.self) { try SmartctlScanParser.parse(deep) }
    }

    @Test func wrongTypesReadAsMissingNotAsValues() throws {
        let report = try SmartctlParser.parse(#"""
        {"smartctl": {"exit_status": "8", "version": "7.3", "messages": {"string": "x"}},
         "device": {"name": 5}, "smart_status": {"passed": 1}, "temperature": {"current": 1e300},
         "power_on_time": {"hours": -5}, "user_capacity": {"bytes": 1.5},
         "ata_smart_attributes": {"table": [{"id": "5", "raw": {"value": 1}}, {"id": 197, "raw": {"value": "9"}}, 7]},
         "nvme_smart_health_information_log": {"critical_warning": true, "media_errors": 18446744073709551616}}
        """#)
        #expect(report.exitStatus == [])
        #expect(report.smartctlVersion == nil)
        #expect(report.messages.isEmpty)
        #expect(report.device == nil)
        #expect(report.smartPassed == nil)
        #expect(report.temperatureCelsius == nil)
        #expect(report.powerOnHours == -5)  // a number of the right type is kept; the classifier ignores negatives
        #expect(report.capacityBytes == nil)
        #expect(report.ataAttributes == [SmartAttribute(id: 197, name: "Unknown_Attribute")])
        #expect(report.nvmeHealth == NVMeHealthLog())
        #expect(SmartHealth.assess(current: report).level == .healthy)
    }
}
