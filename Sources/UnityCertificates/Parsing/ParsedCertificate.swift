import Crypto
import Foundation
import SwiftASN1
import X509

/// What the inventory shows about one X.509 certificate.
public struct ParsedCertificate: Sendable, Equatable {
    /// RFC 4514 form, e.g. `CN=example.org,O=Example`.
    public var subject: String
    public var issuer: String
    public var dnsNames: [String]
    /// Textual IPv4/IPv6 (`192.0.2.1`, `2001:db8::1`).
    public var ipAddresses: [String]
    public var emailAddresses: [String]
    /// Lower-case hex without colons and without DER's sign-padding zero byte: the digits of
    /// `openssl x509 -noout -serial`, lower-cased.
    public var serialHex: String
    public var notBefore: Date
    public var notAfter: Date
    public var keyKind: KeyKind
    /// SHA-256 over the DER, lower-case hex without colons (see `fingerprintColonHex`).
    public var sha256Fingerprint: String
    public var isCA: Bool
    /// Issuer equals subject and the certificate's own key verifies its signature.
    public var isSelfSigned: Bool
    public var der: [UInt8]
    /// The decoded certificate, for chain ordering and key matching.
    public let certificate: Certificate

    /// Parses one DER certificate. `index` only labels the error.
    public init(der: [UInt8], index: Int = 0) throws(CertificateError) {
        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: der) } catch {
            throw .invalidCertificate(index: index, reason: String(describing: error))
        }
        self.init(certificate: certificate, der: der)
    }

    init(certificate: Certificate, der: [UInt8]) {
        self.certificate = certificate
        self.der = der
        subject = certificate.subject.description
        issuer = certificate.issuer.description
        (dnsNames, ipAddresses, emailAddresses) = Self.alternativeNames(certificate)
        let serial = Array(certificate.serialNumber.bytes.drop { $0 == 0 })
        serialHex = serial.isEmpty ? "00" : Hex.encode(serial)
        notBefore = certificate.notValidBefore
        notAfter = certificate.notValidAfter
        keyKind = KeyKind(certificate.publicKey)
        sha256Fingerprint = Hex.encode(SHA256.hash(data: der))
        if case .isCertificateAuthority = (try? certificate.extensions.basicConstraints) ?? nil { isCA = true } else { isCA = false }
        isSelfSigned = certificate.subject == certificate.issuer
            && certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// Every certificate in a PEM text, in file order. Non-certificate blocks (keys) are skipped.
    public static func parseAll(pem: String) throws(CertificateError) -> [ParsedCertificate] {
        let blocks = try PEMBlock.parseAll(pem).filter { $0.label == "CERTIFICATE" || $0.label == "TRUSTED CERTIFICATE" }
        guard !blocks.isEmpty else { throw .noCertificate }
        var result: [ParsedCertificate] = []
        for (index, block) in blocks.enumerated() {
            result.append(try ParsedCertificate(der: block.der, index: index))
        }
        return result
    }

    /// `AB:CD:…`, as `openssl x509 -fingerprint -sha256` prints it after `sha256 Fingerprint=`.
    public var fingerprintColonHex: String {
        var pairs: [String] = []
        var index = sha256Fingerprint.startIndex
        while index < sha256Fingerprint.endIndex {
            let next = sha256Fingerprint.index(index, offsetBy: 2)
            pairs.append(sha256Fingerprint[index..<next].uppercased())
            index = next
        }
        return pairs.joined(separator: ":")
    }

    public var pem: String { PEMBlock.encode(label: "CERTIFICATE", der: der) }

    /// True when `other`'s key signed this certificate and the names chain.
    public func isIssued(by other: ParsedCertificate) -> Bool {
        certificate.issuer == other.certificate.subject
            && other.certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    public static func == (lhs: ParsedCertificate, rhs: ParsedCertificate) -> Bool { lhs.der == rhs.der }

    private static func alternativeNames(_ certificate: Certificate) -> ([String], [String], [String]) {
        var dns: [String] = [], ips: [String] = [], emails: [String] = []
        // A malformed SAN extension must not hide the rest of the certificate: show no names.
        guard let names = (try? certificate.extensions.subjectAlternativeNames) ?? nil else { return ([], [], []) }
        for name in names {
            switch name {
            case .dnsName(let value): dns.append(value)
            case .ipAddress(let octets): ips.append(IPAddressText.format(Array(octets.bytes)))
            case .rfc822Name(let value): emails.append(value)
            default: break
            }
        }
        return (dns, ips, emails)
    }
}
