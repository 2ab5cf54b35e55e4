import Crypto
import Foundation
import SwiftASN1
import _CryptoExtras

/// PEM private keys: PKCS#8 (`PRIVATE KEY`, also `ENCRYPTED PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`) and
/// PKCS#1 (`RSA PRIVATE KEY`), the last two also with OpenSSL's `Proc-Type: 4,ENCRYPTED` headers.
enum PEMKeyFormat {
    /// PKCS#8 wrapping of an Ed25519 seed (RFC 8410): a fixed 16-byte prefix, then the 32-byte seed.
    /// swift-crypto has no PEM initialiser for Curve25519, so we match the DER shape directly.
    private static let ed25519PKCS8Prefix: [UInt8] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]

    static func parse(_ text: String, passphrase: String?) throws(SSHError) -> SSHPrivateKey {
        if text.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            guard let passphrase else { throw .passphraseRequired }
            guard let der = derBody(text) else { throw .invalidKey("PEM body is not base64") }
            let plain = try EncryptedPKCS8.decrypt(der: Array(der), passphrase: passphrase)
            return try parse(PEMDocument(type: "PRIVATE KEY", derBytes: plain).pemString, passphrase: nil)
        }
        if text.contains("Proc-Type: 4,ENCRYPTED") {
            guard let passphrase else { throw .passphraseRequired }
            let (label, der) = try LegacyPEMEncryption.decrypt(text, passphrase: passphrase)
            return try parse(PEMDocument(type: label, derBytes: der).pemString, passphrase: nil)
        }
        if text.hasPrefix("-----BEGIN RSA PRIVATE KEY-----") { return try rsa(text) }
        if text.hasPrefix("-----BEGIN EC PRIVATE KEY-----") { return try ecdsa(text) }
        guard text.hasPrefix("-----BEGIN PRIVATE KEY-----") else { throw .invalidKey("unknown PEM type") }
        if let der = derBody(text), der.count == 48, Array(der.prefix(16)) == ed25519PKCS8Prefix,
           let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32)) {
            return SSHPrivateKey(backing: .ed25519(key), comment: "")
        }
        if let key = try? ecdsa(text) { return key }
        return try rsa(text)
    }

    private static func ecdsa(_ text: String) throws(SSHError) -> SSHPrivateKey {
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: text) {
            return SSHPrivateKey(backing: .p256(key), comment: "")
        } else if let key = try? P384.Signing.PrivateKey(pemRepresentation: text) {
            return SSHPrivateKey(backing: .p384(key), comment: "")
        } else if let key = try? P521.Signing.PrivateKey(pemRepresentation: text) {
            return SSHPrivateKey(backing: .p521(key), comment: "")
        }
        throw .invalidKey("not a P-256/384/521 key")
    }

    private static func rsa(_ text: String) throws(SSHError) -> SSHPrivateKey {
        // 1024-bit keys still exist in homelabs; OpenSSH itself refuses them, which surfaces as an auth error.
        guard let key = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: text) else {
            throw .invalidKey("unreadable PEM key")
        }
        return SSHPrivateKey(backing: .rsa(try RSAKeyComponents(key)), comment: "")
    }

    private static func derBody(_ text: String) -> Data? {
        let body = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body)
    }
}
