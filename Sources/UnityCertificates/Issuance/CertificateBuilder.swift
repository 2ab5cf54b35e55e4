import Crypto
import Foundation
import SwiftASN1
import X509

/// The parts shared by the root, the leaves and self-signed certificates.
enum CertificateBuilder {
    /// 16 random bytes with the top bit cleared: positive, never needs DER's padding byte, and
    /// never zero in practice (RFC 5280 wants ≤ 20 octets, positive, unique).
    static func randomSerial() -> Certificate.SerialNumber {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = (bytes[0] & 0x7f) | 0x01 << 6
        return Certificate.SerialNumber(bytes: bytes[...])
    }

    static func subjectAlternativeNames(_ request: LeafRequest) throws(CertificateError) -> SubjectAlternativeNames {
        var names: [GeneralName] = []
        for name in request.dnsNames {
            // IA5String: ASCII only; an IDN must come in as its xn-- form.
            guard !name.isEmpty, name.utf8.count <= 253, name.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 }),
                  IPAddressText.parse(name) == nil
            else { throw .invalidSubjectAlternativeName(name) }
            names.append(.dnsName(name))
        }
        for address in request.ipAddresses {
            guard let bytes = IPAddressText.parse(address) else { throw .invalidSubjectAlternativeName(address) }
            names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
        }
        guard !names.isEmpty else { throw .invalidSubjectAlternativeName("at least one DNS name or IP address is needed") }
        return SubjectAlternativeNames(names)
    }

    /// The CN for a leaf: the first DNS name that fits the 64-character limit, else the first IP.
    static func commonName(_ request: LeafRequest) -> String? {
        request.dnsNames.first { $0.utf8.count <= 64 } ?? request.ipAddresses.first
    }

    static func leafExtensions(
        _ request: LeafRequest, publicKey: Certificate.PublicKey, issuerKey: Certificate.PublicKey?
    ) throws(CertificateError) -> Certificate.Extensions {
        let sans = try subjectAlternativeNames(request)
        // RSA keys may encipher a pre-master secret (TLS 1.2 RSA key exchange); EC keys only sign.
        let isRSA = if case .rsa = KeyKind(publicKey) { true } else { false }
        let usages: [ExtendedKeyUsage.Usage] = request.clientAuth ? [.serverAuth, .clientAuth] : [.serverAuth]
        do {
            return try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: isRSA))
                try ExtendedKeyUsage(usages)
                SubjectKeyIdentifier(hash: publicKey)
                if let issuerKey {
                    AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: issuerKey).keyIdentifier)
                }
                sans
            }
        } catch {
            throw .issuanceFailed("cannot build extensions: \(error)")
        }
    }

    static func sign(
        serial: Certificate.SerialNumber = randomSerial(), publicKey: Certificate.PublicKey,
        notBefore: Date, notAfter: Date, issuer: DistinguishedName, subject: DistinguishedName,
        extensions: Certificate.Extensions, issuerKey: Certificate.PrivateKey
    ) throws(CertificateError) -> ParsedCertificate {
        do {
            let certificate = try Certificate(
                version: .v3, serialNumber: serial, publicKey: publicKey,
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: issuer, subject: subject,
                extensions: extensions, issuerPrivateKey: issuerKey)
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return ParsedCertificate(certificate: certificate, der: serializer.serializedBytes)
        } catch {
            throw .issuanceFailed(String(describing: error))
        }
    }

    /// Backdated a little: a server whose clock is slightly behind must not see "not yet valid".
    /// Days are clamped to 1…36 525 (100 years) so no request can ask for an unencodable date.
    static func validity(days: Int, now: Date) -> (Date, Date) {
        (now.addingTimeInterval(-300), now.addingTimeInterval(TimeInterval(min(max(1, days), 36_525)) * 86_400))
    }
}
