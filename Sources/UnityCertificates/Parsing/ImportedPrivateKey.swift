import Crypto
import X509
import _CryptoExtras

/// A private key read from PEM: PKCS#8 (`PRIVATE KEY`: RSA, ECDSA, Ed25519), SEC1
/// (`EC PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`). Encrypted keys are refused with a
/// message that says so; Unity stores keys sealed itself and needs them in the clear once.
public struct ImportedPrivateKey: Sendable {
    public let key: Certificate.PrivateKey
    /// The block as given, so deployment writes back exactly what was imported.
    public let pem: String

    public init(pem text: String) throws(CertificateError) {
        let blocks = try PEMBlock.parseAll(text).filter { $0.label.hasSuffix("PRIVATE KEY") }
        guard let block = blocks.first else { throw .noPrivateKey }
        if block.label == "ENCRYPTED PRIVATE KEY" || block.isLegacyEncrypted {
            throw .unsupportedPrivateKey("the key is passphrase-protected; decrypt it first (openssl pkey -in key.pem -out plain.pem)")
        }
        guard ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"].contains(block.label) else {
            throw .unsupportedPrivateKey("'\(block.label)' blocks are not supported (PKCS#8, SEC1 EC or PKCS#1 RSA)")
        }
        do {
            key = try Certificate.PrivateKey(pemDocument: .init(type: block.label, derBytes: block.der))
        } catch {
            throw .invalidPrivateKey(String(describing: error))
        }
        pem = PEMBlock.encode(label: block.label, der: block.der)
    }

    init(generated key: Certificate.PrivateKey) throws(CertificateError) {
        self.key = key
        do { pem = try key.serializeAsPEM().pemString } catch {
            throw .issuanceFailed("cannot encode the new key: \(error)")
        }
    }

    public var kind: KeyKind { KeyKind(key.publicKey) }

    /// True when this key is the private half of `certificate`'s public key.
    public func matches(_ certificate: ParsedCertificate) -> Bool {
        key.publicKey == certificate.certificate.publicKey
    }
}
