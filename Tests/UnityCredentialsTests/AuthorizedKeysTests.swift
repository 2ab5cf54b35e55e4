import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnityCredentials
import UnitySSH

/// Key blobs built in-test: `string "ssh-ed25519" || string(32 bytes)`. `extra` appends bytes so one
/// blob's base64 can be a strict prefix of another's.
enum FakeKeys {
    static func blob(_ last: UInt8, type: String = "ssh-ed25519", extra: [UInt8] = []) -> String {
        func string(_ bytes: [UInt8]) -> [UInt8] {
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init) + bytes
        }
        let key = [UInt8](repeating: 0x42, count: 31) + [last]
        return Data(string(Array(type.utf8)) + string(key) + extra).base64EncodedString()
    }

    static func line(_ last: UInt8, comment: String = "", extra: [UInt8] = []) -> String {
        "ssh-ed25519 \(blob(last, extra: extra))" + (comment.isEmpty ? "" : " \(comment)")
    }

    static func key(_ last: UInt8, extra: [UInt8] = []) throws -> PublicKey { try PublicKey(line: line(last, extra: extra)) }
}

@Suite struct AuthorizedKeysTests {
    @Test func parsesPlainOptionsAndQuotedOptionsWithSpaces() throws {
        let text = """
            \(FakeKeys.line(1, comment: "alice@laptop"))
            command="echo hi there",no-pty \(FakeKeys.line(2, comment: "backup job"))
            from="10.0.0.0/8,192.168.1.*",command="printf \\"a b\\"" \(FakeKeys.line(3))
              \t\(FakeKeys.line(4))

            # \(FakeKeys.line(5)) commented out
            """
        let keys = AuthorizedKeys(text: text)
        #expect(keys.keys == [try FakeKeys.key(1), try FakeKeys.key(2), try FakeKeys.key(3), try FakeKeys.key(4)])
        #expect(keys.lines[1].options == #"command="echo hi there",no-pty"#)
        #expect(keys.lines[1].key?.comment == "backup job")
        #expect(keys.lines[2].options == #"from="10.0.0.0/8,192.168.1.*",command="printf \"a b\"""#)
        #expect(keys.lines[5].key == nil)  // a comment, even though it holds a key
        #expect(keys.data == Data(text.utf8))
    }

    @Test func removingKeepsLinesThatStartAlike() throws {
        // Same 31 leading key bytes (long common base64 prefix), and a blob that extends the target's.
        let target = FakeKeys.line(7, comment: "target")
        let others = [FakeKeys.line(8, comment: "neighbour"), FakeKeys.line(7, extra: [1, 2, 3]),
                      "no-pty " + FakeKeys.line(6)]
        #expect(FakeKeys.blob(7, extra: [1, 2, 3]).hasPrefix(String(FakeKeys.blob(7).dropLast(4))))
        let before = ([others[0], target, others[1], "", "# keep me", others[2]]).joined(separator: "\n") + "\n"
        let edit = AuthorizedKeys(text: before).removing(keyMatching: try FakeKeys.key(7))
        #expect(edit.changed && edit.matchedLines == 1)
        let expected = ([others[0], others[1], "", "# keep me", others[2]]).joined(separator: "\n") + "\n"
        #expect(edit.data == Data(expected.utf8))
    }

    @Test func removingMatchesOnTypeAndBlobNotComment() throws {
        let text = "\(FakeKeys.line(9, comment: "old name"))\ncommand=\"x\" \(FakeKeys.line(9, comment: "other name"))\n"
        let edit = AuthorizedKeys(text: text).removing(keyMatching: try FakeKeys.key(9))
        #expect(edit.matchedLines == 2 && edit.data.isEmpty)
        // An ecdsa type name in front of an ed25519 blob is not the ed25519 key (nor a valid key at all).
        let mislabelled = "ecdsa-sha2-nistp256 \(FakeKeys.blob(9))\n"
        #expect(!AuthorizedKeys(text: mislabelled).removing(keyMatching: try FakeKeys.key(9)).changed)
    }

    @Test func removingLastLineWithoutNewlineAndAbsentKey() throws {
        let text = "\(FakeKeys.line(1))\n\(FakeKeys.line(2))"
        let edit = AuthorizedKeys(text: text).removing(keyMatching: try FakeKeys.key(2))
        #expect(edit.data == Data("\(FakeKeys.line(1))\n".utf8))
        let untouched = AuthorizedKeys(text: text).removing(keyMatching: try FakeKeys.key(3))
        #expect(!untouched.changed && untouched.data == Data(text.utf8))
    }

    @Test func addingIsIdempotentAndFixesMissingFinalNewline() throws {
        let start = AuthorizedKeys(text: "# managed by hand\n\(FakeKeys.line(1))")
        let added = try start.adding(FakeKeys.line(2, comment: "unity"))
        #expect(added.changed)
        #expect(added.data == Data("# managed by hand\n\(FakeKeys.line(1))\n\(FakeKeys.line(2, comment: "unity"))\n".utf8))
        let again = try AuthorizedKeys(added.data).adding(FakeKeys.line(2, comment: "other comment"))
        #expect(!again.changed && again.matchedLines == 1 && again.data == added.data)
        #expect(try AuthorizedKeys(Data()).adding(FakeKeys.line(3)).data == Data("\(FakeKeys.line(3))\n".utf8))
    }

    @Test func refusesLinesThatAreNotExactlyOneEntry() throws {
        let keys = AuthorizedKeys(text: "")
        #expect(throws: KeyLineError.notOneLine) { try keys.adding(FakeKeys.line(1) + "\n" + FakeKeys.line(2)) }
        #expect(throws: KeyLineError.notOneLine) { try keys.adding(FakeKeys.line(1) + "\r") }
        #expect(throws: KeyLineError.invalidOptions) { try keys.adding("command=\"unclosed " + FakeKeys.line(1)) }
        #expect(throws: (any Error).self) { try keys.adding("just some words") }
        let key = try FakeKeys.key(1)
        #expect(try AuthorizedKeys.entryLine(for: key, options: #"command="echo hi",no-pty"#) == #"command="echo hi",no-pty "# + key.line)
        // Options that try to smuggle in another key, a newline or an open quote are refused.
        #expect(throws: KeyLineError.invalidOptions) { try AuthorizedKeys.entryLine(for: key, options: "no-pty " + FakeKeys.line(2)) }
        #expect(throws: KeyLineError.notOneLine) { try AuthorizedKeys.entryLine(for: key, options: "no-pty\n" + FakeKeys.line(2)) }
        #expect(throws: KeyLineError.invalidOptions) { try AuthorizedKeys.entryLine(for: key, options: #"command="x"#) }
    }

    @Test func unclosedQuoteLineIsIgnoredLikeSshdAndKeptVerbatim() throws {
        let text = "command=\"oops \(FakeKeys.line(1))\n\(FakeKeys.line(2))\n"
        let keys = AuthorizedKeys(text: text)
        #expect(keys.keys == [try FakeKeys.key(2)])
        #expect(keys.removing(keyMatching: try FakeKeys.key(1)).changed == false)
    }

    @Test func hostileInputNeverTrapsAndRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [Array("ssh-ed25519 ".utf8), Array(FakeKeys.blob(1).utf8), [0x22], [0x5C, 0x22], [0x0A],
                                 [0x0D, 0x0A], [0x09], [0x00], [0xFF, 0xFE], Array("ecdsa-sha2-nistp256".utf8), [0x20], [0x23]]
        let fixed: [Data] = [
            Data(), Data("\n\n\n".utf8), Data([0xC3, 0x28, 0x0A, 0xF0, 0x9F]), Data(repeating: 0x22, count: 10_000),
            Data(("ssh-ed25519 " + String(repeating: "A", count: 200_000)).utf8), Data("ssh-ed25519".utf8),
            Data("\"\\\"\\".utf8), Data("ssh-ed25519 ====\n".utf8), Data("ssh-rsa AAAAB3NzaC1yc2E\n".utf8),
        ]
        let random = (0..<2_000).map { _ in
            Data((0..<Int.random(in: 0...20, using: &generator)).flatMap { _ in pieces.randomElement(using: &generator)! })
        }
        let key = try FakeKeys.key(1)
        for input in fixed + random {
            let keys = AuthorizedKeys(input)
            #expect(keys.data == input)
            let removed = keys.removing(keyMatching: key)
            #expect(!AuthorizedKeys(removed.data).contains(key))
            if !keys.contains(key) { #expect(removed.data == input) }
            let added = try keys.adding(FakeKeys.line(2))
            #expect(AuthorizedKeys(added.data).contains(try FakeKeys.key(2)))
            #expect(added.data.starts(with: input))
        }
    }

    @Test func publicKeyMatchesSSHKeygenFingerprintAndRefusesGarbage() throws {
        #expect(throws: KeyLineError.self) { try PublicKey(line: "ssh-ed25519 not-base64") }
        #expect(throws: KeyLineError.self) { try PublicKey(line: "ssh-foo \(FakeKeys.blob(1))") }
        #expect(throws: KeyLineError.self) { try PublicKey(line: "ssh-ed25519") }
        let key = try PublicKey(line: "  \(FakeKeys.line(1, comment: "a b c"))  \n")
        #expect(key.comment == "a b c")
        #expect(key.fingerprint.hasPrefix("SHA256:") && !key.fingerprint.hasSuffix("="))
    }

    @Test func privateKeyWithHostileCommentGivesOneSafeLine() throws {
        let key = SSHPrivateKey.generateEd25519(comment: "evil\nssh-ed25519 \(FakeKeys.blob(1))\0x")
        let line = try AuthorizedKeys.entryLine(for: PublicKey(key))
        #expect(!line.contains("\n") && !line.contains("\0"))
        let parsed = AuthorizedKeys(text: line)
        #expect(parsed.keys == [PublicKey(key)] && parsed.lines.count == 1)
        #expect(PublicKey(key).fingerprint == key.fingerprint)
    }

    @Test(.enabled(if: SSHD.enabled)) func fingerprintMatchesSSHKeygen() throws {
        let file = try TestKeys.load("dist-fp-p384", type: "ecdsa", bits: "384")
        let printed = try Shell.run("/usr/bin/ssh-keygen", ["-lf", file.path + ".pub"])
        let key = try PublicKey(line: file.publicLine)
        #expect(printed.split(separator: " ")[1] == Substring(key.fingerprint))
        #expect(key == PublicKey(try SSHPrivateKey(text: file.text)))
    }
}
