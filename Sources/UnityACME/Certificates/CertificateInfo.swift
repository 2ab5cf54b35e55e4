import Crypto
import _CryptoExtras
import Foundation
import SwiftASN1
import X509

/// What the app shows and stores about an issued certificate, read from its PEM chain.
public struct CertificateInfo: Sendable, Equatable {
    public var subject: String
    public var issuer: String
    public var dnsNames: [String]
    public var ipAddresses: [String]
    /// Lower-case hex without separators, as Pebble's `/cert-status-by-serial/` and most CAs print it.
    public var serialHex: String
    public var notBefore: Date
    public var notAfter: Date
    /// "ec-p256", "ec-p384", "rsa-2048", … from the leaf's public key.
    public var keyType: String
    /// SHA-256 over the leaf DER, lower-case hex.
    public var sha256Fingerprint: String
    /// Authority Key Identifier, lower-case hex (nil when the leaf has none).
    public var authorityKeyIdentifier: String?
    /// How many certificates the PEM held (leaf + intermediates).
    public var chainLength: Int

    /// Parses the leaf (first certificate) of a PEM chain.
    public init(pemChain: String) throws {
        let blocks = Self.splitPEM(pemChain)
        guard let first = blocks.first else { throw ACMEError.invalidCertificate("no PEM certificate") }
        let certificate: Certificate
        do { certificate = try Certificate(pemEncoded: first) } catch {
            throw ACMEError.invalidCertificate("\(error)")
        }
        subject = certificate.subject.description
        issuer = certificate.issuer.description
        var dns: [String] = []
        var ips: [String] = []
        if let names = try? certificate.extensions.subjectAlternativeNames {
            for name in names {
                switch name {
                case .dnsName(let value): dns.append(value)
                case .ipAddress(let octets): ips.append(Self.ipString(Array(octets.bytes)))
                default: break
                }
            }
        }
        dnsNames = dns
        ipAddresses = ips
        serialHex = Self.hex(certificate.serialNumber.bytes.drop { $0 == 0 })
        notBefore = certificate.notValidBefore
        notAfter = certificate.notValidAfter
        keyType = Self.keyType(certificate.publicKey)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        sha256Fingerprint = Self.hex(SHA256.hash(data: serializer.serializedBytes))
        authorityKeyIdentifier = (try? certificate.extensions.authorityKeyIdentifier?.keyIdentifier).flatMap {
            $0.map { Self.hex($0) }
        }
        chainLength = blocks.count
    }

    /// True when `privateKeyPEM` is the private half of the leaf's public key.
    public static func privateKey(_ privateKeyPEM: String, matches pemChain: String) throws -> Bool {
        guard let first = splitPEM(pemChain).first else { throw ACMEError.invalidCertificate("no PEM certificate") }
        let certificate = try Certificate(pemEncoded: first)
        let key = try CertificateKey(pem: privateKeyPEM)
        return key.x509PrivateKey.publicKey == certificate.publicKey
    }

    /// Each `BEGIN CERTIFICATE` block of a PEM bundle, in order.
    static func splitPEM(_ pem: String) -> [String] {
        let end = "-----END CERTIFICATE-----"
        var blocks: [String] = []
        var rest = Substring(pem)
        while let start = rest.range(of: "-----BEGIN CERTIFICATE-----"),
              let stop = rest.range(of: end, range: start.upperBound..<rest.endIndex) {
            blocks.append(String(rest[start.lowerBound..<stop.upperBound]))
            rest = rest[stop.upperBound...]
        }
        return blocks
    }

    /// DER of the leaf, for revocation.
    static func leafDER(pem: String) throws -> [UInt8] {
        guard let first = splitPEM(pem).first else { throw ACMEError.invalidCertificate("no PEM certificate") }
        return try PEMDocument(pemString: first).derBytes
    }

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func keyType(_ key: Certificate.PublicKey) -> String {
        if P256.Signing.PublicKey(key) != nil { return "ec-p256" }
        if P384.Signing.PublicKey(key) != nil { return "ec-p384" }
        if P521.Signing.PublicKey(key) != nil { return "ec-p521" }
        if let rsa = _RSA.Signing.PublicKey(key) { return "rsa-\(rsa.keySizeInBits)" }
        return "other"
    }

    static func ipString(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard bytes.count == 16,
              bytes.withUnsafeBytes({ inet_ntop(AF_INET6, $0.baseAddress, &buffer, socklen_t(buffer.count)) }) != nil
        else { return hex(bytes) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
