import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// Keys made by the real ssh-keygen; Unity's public line and fingerprint must be byte-identical to its output.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen") || ProcessInfo.processInfo.environment["CI"] != nil))
struct KeyParsingTests {
    static let cases: [(name: String, type: String, bits: String?, format: String?, algorithm: String)] = [
        ("ed25519", "ed25519", nil, nil, "ssh-ed25519"),
        ("p256", "ecdsa", "256", nil, "ecdsa-sha2-nistp256"),
        ("p384", "ecdsa", "384", nil, "ecdsa-sha2-nistp384"),
        ("p521", "ecdsa", "521", nil, "ecdsa-sha2-nistp521"),
        ("rsa", "rsa", "2048", nil, "ssh-rsa"),
        ("p256-pem", "ecdsa", "256", "PEM", "ecdsa-sha2-nistp256"),
        ("p384-pkcs8", "ecdsa", "384", "PKCS8", "ecdsa-sha2-nistp384"),
        ("rsa-pem", "rsa", "2048", "PEM", "ssh-rsa"),
        ("rsa-pkcs8", "rsa", "3072", "PKCS8", "ssh-rsa"),
    ]

    @Test(arguments: cases.indices)
    func publicLineAndFingerprintMatchSSHKeygen(index: Int) throws {
        let c = Self.cases[index]
        let file = try TestKeys.load(c.name, type: c.type, bits: c.bits, format: c.format)
        let key = try SSHPrivateKey(text: file.text)
        #expect(key.algorithm == c.algorithm)
        let keygenLine = try Shell.run("/usr/bin/ssh-keygen", ["-y", "-f", file.path]).trimmingCharacters(in: .newlines)
        #expect(key.publicKeyLine == keygenLine)
        let keygenFingerprint = try Shell.run("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", file.path])
            .split(separator: " ")[1]
        #expect(key.fingerprint == String(keygenFingerprint))
        #expect(key.requiresOpenSSH == (c.type == "rsa"))
    }

    /// The file handed to `ssh -i` must be readable by OpenSSH and carry the same key.
    @Test(arguments: ["ed25519", "p256", "p384", "p521"])
    func serializedKeyIsReadByOpenSSH(name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        let key = try SSHPrivateKey(text: try TestKeys.load(c.name, type: c.type, bits: c.bits).text)
        let path = TestKeys.directory + "/roundtrip-\(name)"
        try PrivateFile.write(key.openSSHFileText(), to: path)
        let line = try Shell.run("/usr/bin/ssh-keygen", ["-y", "-f", path]).trimmingCharacters(in: .newlines)
        #expect(line == key.publicKeyLine)
        #expect(try SSHPrivateKey(text: key.openSSHFileText()).fingerprint == key.fingerprint)
    }

    @Test func ed25519PKCS8PEMIsParsed() throws {
        // OpenSSL writes Ed25519 as PKCS#8; ssh-keygen cannot, so the expected public key comes from Unity's own blob.
        let pem = try Shell.run("/usr/bin/openssl", ["genpkey", "-algorithm", "ed25519"])
        let key = try SSHPrivateKey(text: pem)
        #expect(key.algorithm == "ssh-ed25519")
        #expect(key.publicKeyLine.hasPrefix("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"))
    }

    @Test func encryptedKeyIsRefusedWithAHint() throws {
        let path = TestKeys.directory + "/encrypted"
        if !FileManager.default.fileExists(atPath: path) {
            try Shell.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret-pass", "-f", path])
        }
        #expect(throws: SSHError.self) { try SSHPrivateKey(text: String(contentsOfFile: path, encoding: .utf8)) }
        do {
            _ = try SSHPrivateKey(text: String(contentsOfFile: path, encoding: .utf8))
        } catch let error as SSHError {
            #expect(error.description.contains("ssh-keygen -p"))
            #expect(!error.description.contains("secret-pass"))
        }
    }

    @Test func garbageIsRefused() {
        #expect(throws: SSHError.self) { try SSHPrivateKey(text: "hello") }
        #expect(throws: SSHError.self) {
            try SSHPrivateKey(text: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----")
        }
    }
}
