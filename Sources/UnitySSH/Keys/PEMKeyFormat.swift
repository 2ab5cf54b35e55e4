import Crypto
import Foundation
import _CryptoExtras

/// PEM private keys: PKCS#8 (`PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`) and PKCS#1 (`RSA PRIVATE KEY`).
enum PEMKeyFormat {
    /// PKCS#8 wrapping of an Ed25519 seed (RFC 8410): a fixed 16-byte prefix, then the 32-byte seed.
    /// swift-crypto has no PEM initialiser for Curve25519, so we match the DER shape directly.
    private static let ed25519PKCS8Prefix: [UInt8] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]

    static func parse(_ text: String) throws(SSHError) -> SSHPrivateKey {
        if text.contains("ENCRYPTED") {
            throw .unsupportedKey("passphrase-protected key; decrypt it once with `ssh-keygen -p` before import")
        }
        if text.hasPrefix("-----BEGIN RSA PRIVATE KEY-----") { return try rsa(text) }
        if text.hasPrefix("-----BEGIN EC PRIVATE KEY-----") { return try ecdsa(text) }
        guard text.hasPrefix("-----BEGIN PRIVATE KEY-----") else { throw .invalidKey("unknown PEM type") }
        if let der = derBody(text), der.count == 48, Array(der.prefix(16)) == ed25519PKCS8Prefix,
           let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32)) {
            return SSHPrivateKey(backing: .ed25519(key), publicBlob: KeyBlobs.ed25519(key.publicKey), comment: "")
        }
        if let key = try? ecdsa(text) { return key }
        return try rsa(text)
    }

    private static func ecdsa(_ text: String) throws(SSHError) -> SSHPrivateKey {
        let backing: SSHPrivateKey.Backing
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: text) {
            backing = .p256(key)
        } else if let key = try? P384.Signing.PrivateKey(pemRepresentation: text) {
            backing = .p384(key)
        } else if let key = try? P521.Signing.PrivateKey(pemRepresentation: text) {
            backing = .p521(key)
        } else {
            throw .invalidKey("not a P-256/384/521 key")
        }
        guard let blob = OpenSSHKeyFormat.derivedBlob(backing) else { throw .invalidKey("no public key") }
        return SSHPrivateKey(backing: backing, publicBlob: blob, comment: "")
    }

    private static func rsa(_ text: String) throws(SSHError) -> SSHPrivateKey {
        // 1024-bit keys still exist in homelabs; OpenSSH itself refuses them, which surfaces as an auth error.
        guard let key = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: text),
              let primitives = try? key.publicKey.getKeyPrimitives() else {
            throw .invalidKey("unreadable PEM key")
        }
        let blob = KeyBlobs.rsa(modulus: primitives.modulus, exponent: primitives.publicExponent)
        return SSHPrivateKey(backing: .rsa(fileText: text), publicBlob: blob, comment: "")
    }

    private static func derBody(_ text: String) -> Data? {
        let body = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body)
    }
}
