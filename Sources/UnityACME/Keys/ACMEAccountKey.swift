import Crypto
import _CryptoExtras
import Foundation

/// An ACME account key (or a certificate key used to sign a revocation). New accounts use P-256
/// (ES256); RSA (RS256) is accepted so that accounts imported from other clients keep working.
/// The app seals `pemRepresentation` (or `privateJWK`) in the SecretBox; this type never persists.
public enum ACMEAccountKey: Sendable {
    case p256(P256.Signing.PrivateKey)
    case rsa(_RSA.Signing.PrivateKey)

    /// A fresh P-256 key, the default for new accounts.
    public static func generateP256() -> ACMEAccountKey {
        .p256(P256.Signing.PrivateKey())
    }

    /// A fresh RSA key (2048, 3072 or 4096 bits).
    public static func generateRSA(bits: Int) throws -> ACMEAccountKey {
        guard [2048, 3072, 4096].contains(bits) else { throw ACMEError.invalidKey("RSA size \(bits)") }
        return .rsa(try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits)))
    }

    /// Imports a PEM private key: PKCS#8 or SEC1 for EC P-256, PKCS#8 or PKCS#1 for RSA.
    public init(pem: String) throws {
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            self = .p256(key)
        } else if let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) {
            self = .rsa(key)
        } else {
            throw ACMEError.invalidKey("not a P-256 or RSA (≥ 2048 bits) private key in PEM")
        }
    }

    /// PKCS#8 PEM for P-256; PKCS#1 (`BEGIN RSA PRIVATE KEY`) for RSA, as swift-crypto writes it.
    public var pemRepresentation: String {
        switch self {
        case .p256(let key): key.pemRepresentation
        case .rsa(let key): key.pemRepresentation
        }
    }

    /// JWS `alg` for this key.
    public var algorithm: String {
        switch self {
        case .p256: "ES256"
        case .rsa: "RS256"
        }
    }

    /// The public JWK with its members in lexicographic order and no whitespace: this exact text
    /// is both the `jwk` header member and the input of the RFC 7638 thumbprint.
    public func publicJWKJSON() throws -> String {
        switch self {
        case .p256(let key):
            let raw = key.publicKey.rawRepresentation  // x || y, 32 bytes each
            let x = Base64URL.encode(raw.prefix(32))
            let y = Base64URL.encode(raw.suffix(32))
            return #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        case .rsa(let key):
            let primitives = try key.publicKey.getKeyPrimitives()
            let e = Base64URL.encode(primitives.publicExponent.drop { $0 == 0 })
            let n = Base64URL.encode(primitives.modulus.drop { $0 == 0 })
            return #"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#
        }
    }

    /// base64url(SHA-256(JWK)) per RFC 7638: the account part of every key authorization.
    public func thumbprint() throws -> String {
        Base64URL.encode(SHA256.hash(data: Data(try publicJWKJSON().utf8)))
    }

    /// The JWS signature over `signingInput` (`protected || "." || payload`).
    func sign(_ signingInput: Data) throws -> Data {
        switch self {
        case .p256(let key):
            // JWS wants the raw r || s form, not DER (RFC 7518 §3.4).
            return try key.signature(for: signingInput).rawRepresentation
        case .rsa(let key):
            return try key.signature(for: signingInput, padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }
}
