import Crypto
import X509
import _CryptoExtras

/// Key algorithm of a certificate Unity issues. P-256 by default: small, fast, accepted everywhere;
/// RSA for old clients that still need it.
public enum LeafKeyAlgorithm: String, Sendable, Codable, CaseIterable {
    case p256 = "ec-p256"
    case p384 = "ec-p384"
    case rsa2048 = "rsa-2048"
    case rsa3072 = "rsa-3072"
    case rsa4096 = "rsa-4096"

    /// A fresh key. RSA 4096 takes about a second (see STACK.md): call off the event loop.
    func generate() throws(CertificateError) -> Certificate.PrivateKey {
        do {
            switch self {
            case .p256: return Certificate.PrivateKey(P256.Signing.PrivateKey())
            case .p384: return Certificate.PrivateKey(P384.Signing.PrivateKey())
            case .rsa2048: return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
            case .rsa3072: return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits3072))
            case .rsa4096: return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits4096))
            }
        } catch {
            throw .issuanceFailed("key generation failed: \(error)")
        }
    }
}

/// What to put in a certificate Unity issues.
public struct LeafRequest: Sendable {
    /// DNS names; `*.example.org` wildcards are allowed. The first becomes the CN.
    public var dnsNames: [String]
    /// IPv4/IPv6 literals.
    public var ipAddresses: [String]
    public var validityDays: Int
    public var keyAlgorithm: LeafKeyAlgorithm
    /// serverAuth always; clientAuth too for mutual-TLS clients.
    public var clientAuth: Bool

    public init(
        dnsNames: [String], ipAddresses: [String] = [], validityDays: Int = 90,
        keyAlgorithm: LeafKeyAlgorithm = .p256, clientAuth: Bool = false
    ) {
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.validityDays = validityDays
        self.keyAlgorithm = keyAlgorithm
        self.clientAuth = clientAuth
    }
}

/// A newly issued certificate and its key, ready to store (sealed) and deploy.
public struct IssuedCertificate: Sendable {
    public var certificate: ParsedCertificate
    /// Issuers to serve after the leaf (the internal root; empty when self-signed).
    public var chain: [ParsedCertificate]
    public var privateKey: ImportedPrivateKey

    public var certificatePEM: String { certificate.pem }
    public var fullChainPEM: String { ([certificate] + chain).map(\.pem).joined() }
    public var privateKeyPEM: String { privateKey.pem }
}
