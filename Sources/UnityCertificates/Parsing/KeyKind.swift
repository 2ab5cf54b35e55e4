import Crypto
import X509
import _CryptoExtras

/// The public-key algorithm of a certificate or private key.
public enum KeyKind: Sendable, Hashable, CustomStringConvertible {
    case rsa(bits: Int)
    case ecdsaP256
    case ecdsaP384
    case ecdsaP521
    case ed25519
    case other

    init(_ key: Certificate.PublicKey) {
        if P256.Signing.PublicKey(key) != nil {
            self = .ecdsaP256
        } else if P384.Signing.PublicKey(key) != nil {
            self = .ecdsaP384
        } else if P521.Signing.PublicKey(key) != nil {
            self = .ecdsaP521
        } else if let rsa = _RSA.Signing.PublicKey(key) {
            self = .rsa(bits: rsa.keySizeInBits)
        } else if Curve25519.Signing.PublicKey(key) != nil {
            self = .ed25519
        } else {
            self = .other
        }
    }

    /// "RSA 2048", "ECDSA P-256", "Ed25519": the words an admin expects on the inventory page.
    public var description: String {
        switch self {
        case .rsa(let bits): "RSA \(bits)"
        case .ecdsaP256: "ECDSA P-256"
        case .ecdsaP384: "ECDSA P-384"
        case .ecdsaP521: "ECDSA P-521"
        case .ed25519: "Ed25519"
        case .other: "unknown"
        }
    }

    /// Size in bits as openssl reports it ("Public-Key: (256 bit)"); Ed25519 is 256.
    public var bits: Int? {
        switch self {
        case .rsa(let bits): bits
        case .ecdsaP256, .ed25519: 256
        case .ecdsaP384: 384
        case .ecdsaP521: 521
        case .other: nil
        }
    }
}
