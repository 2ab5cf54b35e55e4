import Crypto
import _CryptoExtras

extension SSHPrivateKey {
    /// A fresh key of `type`. `bits` applies to RSA only (2048…8192 in steps of 128, default 4096);
    /// for the other types it may be omitted or name their fixed size.
    public static func generate(_ type: SSHKeyType, bits: Int? = nil, comment: String = "") throws(SSHError) -> SSHPrivateKey {
        if let bits, type != .rsa, bits != type.fixedBits {
            throw .invalidKeySize("\(type.rawValue) keys have a fixed size; bits apply only to rsa "
                + "(\(SSHKeyType.rsaBitRange.lowerBound)…\(SSHKeyType.rsaBitRange.upperBound))")
        }
        let backing: Backing
        switch type {
        case .ed25519: backing = .ed25519(Curve25519.Signing.PrivateKey())
        case .ecdsaP256: backing = .p256(P256.Signing.PrivateKey())
        case .ecdsaP384: backing = .p384(P384.Signing.PrivateKey())
        case .ecdsaP521: backing = .p521(P521.Signing.PrivateKey())
        case .rsa: backing = .rsa(try generateRSA(bits: bits ?? SSHKeyType.rsaDefaultBits))
        }
        return SSHPrivateKey(backing: backing, comment: comment)
    }

    /// A fresh Ed25519 key, for tests and for keys Unity generates itself.
    public static func generateEd25519(comment: String = "") -> SSHPrivateKey {
        SSHPrivateKey(backing: .ed25519(Curve25519.Signing.PrivateKey()), comment: comment)
    }

    private static func generateRSA(bits: Int) throws(SSHError) -> RSAKeyComponents {
        // Checked here, not left to BoringSSL: it would round 3000 down to 2944 bits without a word,
        // and `KeySize` traps on sizes that are not a multiple of 8.
        guard SSHKeyType.rsaBitRange.contains(bits), bits % 128 == 0 else {
            throw .invalidKeySize("RSA keys must be \(SSHKeyType.rsaBitRange.lowerBound) to "
                + "\(SSHKeyType.rsaBitRange.upperBound) bits in steps of 128 (e.g. 2048, 3072, 4096); got \(bits)")
        }
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
        } catch {
            throw .transport("RSA key generation failed")
        }
        return try RSAKeyComponents(key)
    }
}
