import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// A private key must be the pair of the public key it is shown with; malformed files never trap.
@Suite(.enabled(if: KeyTools.enabled))
struct KeyPairCheckTests {
    @Test(arguments: SSHKeyType.allCases)
    func matchesItsOwnPublicLineWhateverTheComment(type: SSHKeyType) throws {
        let key = try SSHPrivateKey.generate(type, bits: type == .rsa ? 2048 : nil, comment: "mine")
        let other = try SSHPrivateKey.generate(type, bits: type == .rsa ? 2048 : nil, comment: "mine")
        let parts = key.publicKeyLine.split(separator: " ").prefix(2).joined(separator: " ")
        #expect(key.matches(publicKeyLine: key.publicKeyLine))
        #expect(key.matches(publicKeyLine: parts))
        #expect(key.matches(publicKeyLine: parts + " someone else@laptop\n"))
        #expect(key.matches(publicKeyLine: "no-pty,no-port-forwarding " + parts))
        #expect(!key.matches(publicKeyLine: other.publicKeyLine))
        #expect(!key.matches(publicKeyLine: ""))
        #expect(!key.matches(publicKeyLine: key.algorithm + " !!not-base64!!"))
    }

    @Test func algorithmMustAgreeWithTheBlob() throws {
        let key = SSHPrivateKey.generateEd25519()
        let blob = key.publicKeyLine.split(separator: " ")[1]
        #expect(!key.matches(publicKeyLine: "ssh-rsa \(blob)"))
    }

    @Test func matchesTheSSHKeygenPublicFile() throws {
        let file = try TestKeys.rsa()
        let key = try SSHPrivateKey(text: file.text)
        #expect(key.matches(publicKeyLine: file.publicLine))
        #expect(!key.matches(publicKeyLine: try TestKeys.ed25519().publicLine))
    }

    /// One file's public key with another's private section: refused as a mismatch, for every type.
    @Test(arguments: SSHKeyType.allCases)
    func splicedOpenSSHFileIsRefused(type: SSHKeyType) throws {
        let bits = type == .rsa ? 2048 : nil
        let first = try OpenSSHFileFields(text: SSHPrivateKey.generate(type, bits: bits).openSSHPrivateKeyText())
        var spliced = try OpenSSHFileFields(text: SSHPrivateKey.generate(type, bits: bits).openSSHPrivateKeyText())
        spliced.publicBlob = first.publicBlob
        #expect(throws: SSHError.keyMismatch) { try SSHPrivateKey(text: spliced.text) }
        #expect(SSHError.keyMismatch.description.contains("public and private key do not match"))
    }

    /// Every truncation and a sweep of single-byte changes of real files: an error or a key, never a trap.
    @Test(arguments: ["ed25519", "rsa"])
    func malformedFilesNeverTrap(name: String) throws {
        let plain = try KeyTools.generate("fuzz-\(name)", type: name, bits: name == "rsa" ? "2048" : nil)
        let encrypted = try KeyTools.generate("fuzz-enc-\(name)", type: name, bits: name == "rsa" ? "2048" : nil,
                                              passphrase: "fuzz", arguments: ["-a", "1"])
        // The encrypted file is sampled more sparsely: each attempt that reaches the KDF costs bcrypt rounds.
        for (path, samples) in [(plain, 150), (encrypted, 16)] {
            let bytes = try OpenSSHFileFields(text: KeyTools.read(path)).bytes
            let step = max(1, bytes.count / samples)
            for length in Swift.stride(from: 0, to: bytes.count, by: step) {
                _ = try? SSHPrivateKey(text: OpenSSHFileFields.armor(Array(bytes.prefix(length))), passphrase: "fuzz")
            }
            for index in Swift.stride(from: 0, to: bytes.count, by: step) {
                var mutated = bytes
                mutated[index] ^= 0xff
                _ = try? SSHPrivateKey(text: OpenSSHFileFields.armor(mutated), passphrase: "fuzz")
            }
        }
        for garbage in ["-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----",
                        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----",
                        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n-----END RSA PRIVATE KEY-----"] {
            #expect(throws: SSHError.self) { try SSHPrivateKey(text: garbage, passphrase: "fuzz") }
        }
    }

    /// Encrypted PEM (PKCS#8 and legacy Proc-Type): truncated or altered DER gives an error, never a trap.
    @Test(arguments: ["PEM", "PKCS8"])
    func malformedEncryptedPEMNeverTraps(format: String) throws {
        // PEM needs a passphrase of five characters or more.
        let path = try KeyTools.generate("fuzz-pem-\(format)", type: "ecdsa", bits: "256", passphrase: "fuzz-pass",
                                         arguments: ["-m", format])
        // Keep the blank line that ends legacy PEM headers.
        let lines = try KeyTools.read(path).trimmingCharacters(in: .newlines)
            .split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let armor = lines.filter { $0.hasPrefix("-----") || $0.contains(":") || $0.isEmpty }
        let der = try #require(Data(base64Encoded: lines.filter { !armor.contains($0) }.joined()))
        func text(_ bytes: [UInt8]) -> String {
            (armor.dropLast() + [Data(bytes).base64EncodedString()] + armor.suffix(1)).joined(separator: "\n")
        }
        #expect(try SSHPrivateKey(text: text(Array(der)), passphrase: "fuzz-pass").algorithm == "ecdsa-sha2-nistp256")
        for index in 0..<der.count {
            var mutated = Array(der)
            mutated[index] ^= 0x5a
            _ = try? SSHPrivateKey(text: text(mutated), passphrase: "fuzz-pass")
            _ = try? SSHPrivateKey(text: text(Array(der.prefix(index))), passphrase: "fuzz-pass")
        }
    }
}
