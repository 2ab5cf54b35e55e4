import Crypto
import Foundation
import X509

/// Unity's own certificate authority for homelab services that no public CA can reach.
///
/// Created once; the app seals `privateKeyPEM` and stores `rootPEM`, which admins download and
/// add to their trust stores. pathlen 0: the root signs leaves only, never another CA, so a
/// leaked leaf key can never mint certificates.
public struct InternalCA: Sendable {
    public let root: ParsedCertificate
    let key: Certificate.PrivateKey

    public enum RootKeyAlgorithm: String, Sendable, Codable {
        case p256 = "ec-p256"
        case p384 = "ec-p384"
    }

    /// A new root: 10 years, CA:true pathlen 0, keyCertSign + cRLSign.
    public static func create(
        commonName: String = "Unity Internal CA", organization: String? = nil,
        keyAlgorithm: RootKeyAlgorithm = .p384, validityYears: Int = 10, now: Date = Date()
    ) throws(CertificateError) -> InternalCA {
        let key: Certificate.PrivateKey = switch keyAlgorithm {
        case .p256: Certificate.PrivateKey(P256.Signing.PrivateKey())
        case .p384: Certificate.PrivateKey(P384.Signing.PrivateKey())
        }
        let name: DistinguishedName
        let extensions: Certificate.Extensions
        do {
            name = try DistinguishedName {
                if let organization { OrganizationName(organization) }
                CommonName(commonName)
            }
            extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            }
        } catch {
            throw .issuanceFailed("cannot build the CA name or extensions: \(error)")
        }
        let (notBefore, _) = CertificateBuilder.validity(days: 1, now: now)
        let notAfter = Calendar(identifier: .gregorian).date(byAdding: .year, value: validityYears, to: now)
            ?? now.addingTimeInterval(TimeInterval(validityYears) * 365.25 * 86_400)
        let root = try CertificateBuilder.sign(
            publicKey: key.publicKey, notBefore: notBefore, notAfter: notAfter,
            issuer: name, subject: name, extensions: extensions, issuerKey: key)
        return InternalCA(root: root, key: key)
    }

    /// Loads a stored CA. Throws `.keyMismatch` when the key is not the root's.
    public init(rootPEM: String, privateKeyPEM: String) throws(CertificateError) {
        let bundle = try CertificateBundle(certificatePEM: rootPEM, privateKeyPEM: privateKeyPEM)
        guard bundle.leaf.isCA else { throw .issuanceFailed("the certificate is not a CA (basicConstraints CA:false)") }
        guard let key = bundle.privateKey else { throw .noPrivateKey }
        self.init(root: bundle.leaf, key: key.key)
    }

    init(root: ParsedCertificate, key: Certificate.PrivateKey) {
        self.root = root
        self.key = key
    }

    /// The root certificate for download ("add this to your trust store").
    public var rootPEM: String { root.pem }

    /// The CA key as PEM, for the caller to seal at rest. Never log it.
    public var privateKeyPEM: String {
        (try? key.serializeAsPEM().pemString) ?? ""
    }

    /// A leaf signed by this CA. Validity is clipped to the root's own notAfter, because a leaf
    /// outliving its issuer fails verification anyway.
    public func issue(_ request: LeafRequest, now: Date = Date()) throws(CertificateError) -> IssuedCertificate {
        let leafKey = try request.keyAlgorithm.generate()
        var (notBefore, notAfter) = CertificateBuilder.validity(days: request.validityDays, now: now)
        notAfter = min(notAfter, root.notAfter)
        let extensions = try CertificateBuilder.leafExtensions(
            request, publicKey: leafKey.publicKey, issuerKey: key.publicKey)
        let subject = try Self.leafSubject(request)
        let certificate = try CertificateBuilder.sign(
            publicKey: leafKey.publicKey, notBefore: notBefore, notAfter: notAfter,
            issuer: root.certificate.subject, subject: subject, extensions: extensions, issuerKey: key)
        return IssuedCertificate(certificate: certificate, chain: [root], privateKey: try ImportedPrivateKey(generated: leafKey))
    }

    /// A self-signed leaf (no CA involved): for a service that only needs *some* TLS.
    public static func selfSigned(_ request: LeafRequest, now: Date = Date()) throws(CertificateError) -> IssuedCertificate {
        let leafKey = try request.keyAlgorithm.generate()
        let (notBefore, notAfter) = CertificateBuilder.validity(days: request.validityDays, now: now)
        let extensions = try CertificateBuilder.leafExtensions(request, publicKey: leafKey.publicKey, issuerKey: nil)
        let subject = try leafSubject(request)
        let certificate = try CertificateBuilder.sign(
            publicKey: leafKey.publicKey, notBefore: notBefore, notAfter: notAfter,
            issuer: subject, subject: subject, extensions: extensions, issuerKey: leafKey)
        return IssuedCertificate(certificate: certificate, chain: [], privateKey: try ImportedPrivateKey(generated: leafKey))
    }

    static func leafSubject(_ request: LeafRequest) throws(CertificateError) -> DistinguishedName {
        do {
            return try DistinguishedName {
                if let name = CertificateBuilder.commonName(request) { CommonName(name) }
            }
        } catch {
            throw .issuanceFailed("cannot build the subject: \(error)")
        }
    }
}
