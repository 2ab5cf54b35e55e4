import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// Passphrase-protected keys written by the real ssh-keygen and openssl: imported with the passphrase,
/// they must be the key ssh-keygen says they are; without it or with a wrong one, a typed error.
@Suite(.enabled(if: KeyTools.enabled))
struct EncryptedKeyImportTests {
    static let passphrase = "correct horse battery staple"

    /// ssh-keygen cases: name, -t, -b, extra arguments (format, cipher, KDF rounds).
    static let keygenCases: [(name: String, type: String, bits: String?, arguments: [String])] = [
        ("ed25519-default", "ed25519", nil, []),  // aes256-ctr, 16 rounds: ssh-keygen's defaults
        ("p256", "ecdsa", "256", ["-a", "2"]),
        ("p384", "ecdsa", "384", ["-a", "2"]),
        ("p521", "ecdsa", "521", ["-a", "2"]),
        ("rsa", "rsa", "2048", ["-a", "2"]),
        ("aes128-ctr", "ed25519", nil, ["-a", "2", "-Z", "aes128-ctr"]),
        ("aes192-ctr", "ed25519", nil, ["-a", "2", "-Z", "aes192-ctr"]),
        ("aes128-cbc", "ed25519", nil, ["-a", "2", "-Z", "aes128-cbc"]),
        ("aes256-cbc", "ecdsa", "256", ["-a", "2", "-Z", "aes256-cbc"]),
        ("aes128-gcm", "ed25519", nil, ["-a", "2", "-Z", "aes128-gcm@openssh.com"]),
        ("aes256-gcm", "rsa", "2048", ["-a", "2", "-Z", "aes256-gcm@openssh.com"]),
        ("rsa-pem", "rsa", "2048", ["-m", "PEM"]),
        ("p256-pem", "ecdsa", "256", ["-m", "PEM"]),
        ("p384-pem", "ecdsa", "384", ["-m", "PEM"]),
        ("rsa-pkcs8", "rsa", "2048", ["-m", "PKCS8"]),
        ("p521-pkcs8", "ecdsa", "521", ["-m", "PKCS8"]),
    ]

    @Test(arguments: keygenCases.indices)
    func sshKeygenKeyImportsWithItsPassphrase(index: Int) throws {
        let c = Self.keygenCases[index]
        let path = try KeyTools.generate("enc-\(c.name)", type: c.type, bits: c.bits, passphrase: Self.passphrase,
                                         arguments: c.arguments)
        let text = try KeyTools.read(path)
        let key = try SSHPrivateKey(text: text, passphrase: Self.passphrase)
        #expect(key.fingerprint == (try KeyTools.fingerprint(of: path + ".pub").fingerprint))
        #expect(key.publicKeyLine == (try KeyTools.publicLine(ofPrivate: path, passphrase: Self.passphrase)))
        #expect(key.matches(publicKeyLine: try KeyTools.read(path + ".pub")))
        try expectRefusals(text, name: c.name)

        // Revealed unencrypted, the key is still the one OpenSSH signs with.
        let revealed = try KeyTools.writePrivate(key.openSSHPrivateKeyText(), name: "revealed-\(c.name)")
        #expect(try KeyTools.publicLine(ofPrivate: revealed) == key.publicKeyLine)
        try KeyTools.signAndVerify(privateKeyAt: revealed)
    }

    /// `openssl pkcs8 -topk8 -v2 …` (PBES2) and `openssl … -traditional` (Proc-Type) over keys openssl made.
    static let opensslCases: [(name: String, genpkey: [String], convert: [String])] = [
        ("rsa-pkcs8-aes256", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], ["pkcs8", "-topk8", "-v2", "aes256"]),
        ("p384-pkcs8-aes256", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], ["pkcs8", "-topk8", "-v2", "aes256"]),
        ("ed25519-pkcs8-aes256", ["-algorithm", "ed25519"], ["pkcs8", "-topk8", "-v2", "aes256"]),
        ("p256-pkcs8-aes128-sha1", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
         ["pkcs8", "-topk8", "-v2", "aes128", "-v2prf", "hmacWithSHA1"]),
        ("rsa-traditional-aes256", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], ["rsa", "-aes256", "-traditional"]),
        ("p256-traditional-aes128", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], ["ec", "-aes128"]),
    ]

    @Test(arguments: opensslCases.indices)
    func opensslKeyImportsWithItsPassphrase(index: Int) throws {
        let c = Self.opensslCases[index]
        let plainPath = KeyTools.path("openssl-plain-\(c.name)")
        try Shell.run(KeyTools.openssl, ["genpkey"] + c.genpkey + ["-out", plainPath])
        let encryptedPath = KeyTools.path("openssl-enc-\(c.name)")
        try Shell.run(KeyTools.openssl, c.convert + ["-in", plainPath, "-out", encryptedPath, "-passout", "pass:\(Self.passphrase)"])
        let text = try KeyTools.read(encryptedPath)
        #expect(text.contains("ENCRYPTED"))

        let key = try SSHPrivateKey(text: text, passphrase: Self.passphrase)
        let plain = try SSHPrivateKey(text: KeyTools.read(plainPath))
        #expect(key.fingerprint == plain.fingerprint)
        if c.name.hasPrefix("ed25519") == false {  // ssh-keygen cannot read Ed25519 PEM; the plain parse is the reference
            #expect(key.fingerprint == (try KeyTools.fingerprint(ofLine: KeyTools.publicLine(ofPrivate: plainPath))))
        }
        try expectRefusals(text, name: c.name)
    }

    /// Missing, empty and wrong passphrases give typed errors that never echo the passphrase.
    private func expectRefusals(_ text: String, name: String) throws {
        for missing in [nil, ""] as [String?] {
            #expect(throws: SSHError.passphraseRequired, "\(name)") { try SSHPrivateKey(text: text, passphrase: missing) }
        }
        let wrong = "Tr0ub4dor&3 wrong"
        do {
            _ = try SSHPrivateKey(text: text, passphrase: wrong)
            Issue.record("\(name): a wrong passphrase was accepted")
        } catch {
            #expect(error == .wrongPassphrase, "\(name)")
            #expect(!"\(error)".contains(wrong) && !"\(error)".contains(Self.passphrase))
        }
    }

    @Test func passphraseRequiredStillHintsAtSSHKeygen() {
        #expect(SSHError.passphraseRequired.description.contains("ssh-keygen -p"))
    }

    @Test func unencryptedKeyIgnoresAPassphrase() throws {
        let file = try TestKeys.ed25519()
        let key = try SSHPrivateKey(text: file.text, passphrase: "not needed")
        #expect(key.matches(publicKeyLine: file.publicLine))
    }

    /// A file asking for millions of bcrypt rounds would tie up an import for hours: refused up front.
    @Test func excessiveKDFRoundsAreRefusedBeforeDerivation() throws {
        let path = try KeyTools.generate("enc-many-rounds", type: "ed25519", passphrase: Self.passphrase,
                                         arguments: ["-a", "2"])
        var file = try OpenSSHFileFields(text: KeyTools.read(path))
        var options = SSHWireReader(file.kdfOptions)
        var rewritten = SSHWireWriter()
        rewritten.writeString(try options.readString())
        rewritten.write(4_000_000)
        file.kdfOptions = rewritten.bytes
        #expect {
            try SSHPrivateKey(text: file.text, passphrase: Self.passphrase)
        } throws: { ($0 as? SSHError).map { if case .unsupportedKey = $0 { true } else { false } } ?? false }
    }
}
