import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

/// Keys Unity generates, checked by the real ssh-keygen: its public line, fingerprint and size must be
/// Unity's, and OpenSSH must be able to sign with the exported file.
@Suite(.enabled(if: KeyTools.enabled))
struct KeyGenerationTests {
    static let cases: [(type: SSHKeyType, bits: Int?, expectedBits: Int)] = [
        (.ed25519, nil, 256), (.ecdsaP256, nil, 256), (.ecdsaP384, nil, 384), (.ecdsaP521, nil, 521),
        (.rsa, 2048, 2048), (.rsa, 3072, 3072),
    ]

    @Test(arguments: cases.indices)
    func generatedKeyIsReadBySSHKeygen(index: Int) throws {
        let c = Self.cases[index]
        let comment = "unity-generated-\(c.type.rawValue)@homelab"
        let key = try SSHPrivateKey.generate(c.type, bits: c.bits, comment: comment)
        #expect(key.type == c.type)
        #expect(key.bits == c.expectedBits)
        #expect(key.publicKeyLine.hasSuffix(" \(comment)"))

        let text = key.openSSHPrivateKeyText()
        #expect(text.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----\n"))
        let path = try KeyTools.writePrivate(text, name: "generated-\(c.type.rawValue)")
        #expect(try KeyTools.publicLine(ofPrivate: path) == key.publicKeyLine)
        let listed = try KeyTools.fingerprint(of: path)
        #expect(listed.fingerprint == key.fingerprint)
        #expect(listed.bits == c.expectedBits)
        try KeyTools.signAndVerify(privateKeyAt: path)

        let reparsed = try SSHPrivateKey(text: text)
        #expect(reparsed.fingerprint == key.fingerprint)
        #expect(reparsed.comment == comment)
        #expect(reparsed.requiresOpenSSH == (c.type == .rsa))
    }

    /// The transport file for RSA is now the same openssh-key-v1 text; OpenSSL must find its CRT numbers consistent.
    @Test func generatedRSAPassesOpenSSLCheck() throws {
        let key = try SSHPrivateKey.generate(.rsa, bits: 2048)
        let path = try KeyTools.writePrivate(key.openSSHFileText(), name: "rsa-check")
        try Shell.run(KeyTools.keygen, ["-p", "-q", "-P", "", "-N", "", "-m", "PEM", "-f", path])  // rewrite as PEM
        let report = try Shell.run(KeyTools.openssl, ["rsa", "-check", "-noout", "-in", path])
        #expect(report.contains("RSA key ok"))
    }

    @Test func rsaDefaultsTo4096Bits() throws {
        let key = try SSHPrivateKey.generate(.rsa)
        #expect(key.bits == 4096)
        #expect(key.comment.isEmpty)
        #expect(!key.publicKeyLine.hasSuffix(" "))
        let path = try KeyTools.writePrivate(key.openSSHPrivateKeyText(), name: "rsa-default")
        #expect(try KeyTools.fingerprint(of: path).bits == 4096)
        #expect(try KeyTools.publicLine(ofPrivate: path) == key.publicKeyLine)
    }

    @Test(arguments: [1024, 2047, 2049, 3000, 8320, 16384, 0, -2048])
    func rsaSizeOutsideTheAllowedRangeIsRefused(bits: Int) {
        #expect {
            try SSHPrivateKey.generate(.rsa, bits: bits)
        } throws: { error in
            guard let error = error as? SSHError, case .invalidKeySize = error else { return false }
            return error.description.contains("2048") && error.description.contains("8192")
        }
    }

    @Test func bitsApplyOnlyToRSA() throws {
        #expect(throws: SSHError.self) { try SSHPrivateKey.generate(.ed25519, bits: 4096) }
        #expect(throws: SSHError.self) { try SSHPrivateKey.generate(.ecdsaP256, bits: 384) }
        // Naming a type's own fixed size is not an error.
        #expect(try SSHPrivateKey.generate(.ecdsaP384, bits: 384).bits == 384)
        #expect(try SSHPrivateKey.generate(.ed25519, bits: 256).type == .ed25519)
    }

    @Test func generateEd25519StillWorks() {
        let key = SSHPrivateKey.generateEd25519(comment: "legacy")
        #expect(key.type == .ed25519)
        #expect(key.publicKeyLine.hasSuffix(" legacy"))
    }

    @Test func keyTypeNamesMatchAlgorithms() {
        for type in SSHKeyType.allCases {
            #expect(SSHKeyType(algorithm: type.algorithm) == type)
        }
        #expect(SSHKeyType(algorithm: "ssh-dss") == nil)
        #expect(SSHKeyType(rawValue: "ecdsa-p521") == .ecdsaP521)
    }

    /// Imported RSA keys (PKCS#1 and PKCS#8 PEM, and OpenSSH) come back out as openssh-key-v1.
    @Test(arguments: [nil, "PEM", "PKCS8"])
    func importedRSAIsRevealedAsOpenSSH(format: String?) throws {
        let source = try KeyTools.generate("rsa-import", type: "rsa", bits: "2048",
                                           arguments: format.map { ["-m", $0] } ?? [])
        let key = try SSHPrivateKey(text: KeyTools.read(source))
        let path = try KeyTools.writePrivate(key.openSSHPrivateKeyText(), name: "rsa-revealed")
        #expect(try KeyTools.publicLine(ofPrivate: path) == key.publicKeyLine)
        #expect(try KeyTools.fingerprint(of: source + ".pub").fingerprint == key.fingerprint)
        try KeyTools.signAndVerify(privateKeyAt: path)
    }
}
