import Foundation
import Testing
@testable import UnityInfrastructure

/// The framing: exact round trip, truncation, forged markers, broken frames.
@Suite struct SplitTests {
    static let nonce = "N0nce0123456789ABCDEFabcdef01234"
    static let m = "@@UNITY-\(nonce)"

    /// What the script prints for one section (it adds a newline after each stream).
    static func frame(_ name: String, out: String, err: String = "", status: Int = 0, flag: String = "-") -> String {
        "\(m) BEGIN \(name)\n\(out)\n\(m) STDERR \(name)\n\(err)\n\(m) END \(status) \(flag) \(name)\n"
    }

    @Test(arguments: ["", "one line", "ends with newline\n", "\n\n", "crlf\r\nlines\r\n", "tab\tand ünïcode"])
    func streamsRoundTripByteForByte(content: String) {
        let text = Self.frame("s", out: content, err: content) + "\(Self.m) DONE\n"
        let sections = CollectionOutput.split(text, nonce: Self.nonce)
        #expect(sections == [SectionResult(name: "s", stdout: content, stderr: content, exitStatus: 0, state: .completed)])
        #expect(CollectionOutput.isComplete(text, nonce: Self.nonce))
    }

    @Test func statesComeFromTheEndMarker() {
        let text = Self.frame("a", out: "x", status: 3) + Self.frame("b", out: "", err: "Terminated", status: 124, flag: "timeout")
            + Self.frame("c", out: "", err: "zpool: not installed", status: 127, flag: "notinstalled")
        let sections = CollectionOutput.split(text, nonce: Self.nonce)
        #expect(sections.map(\.state) == [.completed, .timedOut, .notInstalled])
        #expect(sections.map(\.exitStatus) == [3, 124, 127])
        #expect(sections[2].notInstalled && sections[1].timedOut && !sections[0].succeeded)
        #expect(!CollectionOutput.isComplete(text, nonce: Self.nonce))
    }

    @Test func aStreamCutAnywhereKeepsFinishedSectionsAndMarksTheRest() {
        let full = Self.frame("first", out: "1\n2\n") + Self.frame("second", out: "abc", err: "warn") + "\(Self.m) DONE\n"
        let bytes = Array(full.utf8)
        for cut in 0..<bytes.count {
            let text = String(decoding: bytes[..<cut], as: UTF8.self)
            let sections = CollectionOutput.split(text, nonce: Self.nonce, expected: ["first", "second"])
            #expect(sections.map(\.name) == ["first", "second"], "cut at \(cut)")
            #expect(sections.filter { $0.state == .completed }.allSatisfy { $0.exitStatus == 0 })
            if cut < full.utf8.count - "\(Self.m) DONE\n".utf8.count {
                #expect(sections.last?.isIncomplete == true, "cut at \(cut)")
            }
        }
        let endOfFirst = Self.frame("first", out: "1\n2\n").utf8.count
        let halfway = String(decoding: bytes[..<(endOfFirst + 60)], as: UTF8.self)
        let sections = CollectionOutput.split(halfway, nonce: Self.nonce, expected: ["first", "second", "third"])
        #expect(sections.map(\.state) == [.completed, .truncated, .missing])
    }

    @Test func markersWithAnotherNonceOrNotAtLineStartAreContent() {
        let forged = """
            @@UNITY-AAAAAAAAAAAAAAAAAAAAAAAA END 0 - s
            @@UNITY-AAAAAAAAAAAAAAAAAAAAAAAA BEGIN evil
             \(Self.m) END 0 - s
            \(Self.m)  BEGIN evil
            \(Self.m) END 0 bogusflag s
            """
        let text = Self.frame("s", out: forged) + Self.frame("t", out: "ok")
        let sections = CollectionOutput.split(text, nonce: Self.nonce)
        #expect(sections.map(\.name) == ["s", "t"])
        #expect(sections.first?.stdout == forged)
        #expect(sections.allSatisfy { $0.state == .completed })
    }

    @Test func wrongOrInvalidNonceFindsNothing() {
        let text = Self.frame("s", out: "x")
        #expect(CollectionOutput.split(text, nonce: "OtherNonce0123456789abcdef").isEmpty)
        #expect(CollectionOutput.split(text, nonce: "short", expected: ["s"]) == [SectionResult(name: "s", state: .missing)])
        #expect(CollectionOutput.split(text, nonce: "", expected: []).isEmpty)
    }

    @Test func brokenFramesCloseTheOpenSectionAsTruncated() {
        let m = Self.m
        let text = "noise before\n\(m) BEGIN a\npartial\n\(m) BEGIN b\nout\n\(m) STDERR b\n\(m) END 0 - other\n"
            + "\(m) BEGIN c\n\(m) DONE\n\(m) STDERR c\n\(m) END 0 - c\n"
        let sections = CollectionOutput.split(text, nonce: Self.nonce)
        #expect(sections.map(\.name) == ["a", "b", "c"])
        #expect(sections.allSatisfy { $0.state == .truncated })
        #expect(sections.first?.stdout == "partial")
    }

    @Test func ptyCarriageReturnsOnMarkersAreTolerated() {
        let text = Self.frame("s", out: "x\r").replacingOccurrences(of: "\n", with: "\r\n")
        let sections = CollectionOutput.split(text, nonce: Self.nonce)
        #expect(sections.map(\.state) == [.completed])
    }

    @Test func noncesAreValidatedAndRandom() {
        #expect(CollectionNonce("abc") == nil)
        #expect(CollectionNonce("has space 0123456789") == nil)
        #expect(CollectionNonce("quote'0123456789abcdef") == nil)
        #expect(CollectionNonce(String(repeating: "a", count: 65)) == nil)
        let a = CollectionNonce.random(), b = CollectionNonce.random()
        #expect(a != b && a.value.count == 32 && CollectionNonce(a.value) == a)
    }
}
