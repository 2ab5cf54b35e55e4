import Crypto
import _CryptoExtras
import Foundation
import SwiftASN1
import X509

/// Key type of an issued certificate. P-256 is the default: small, fast, accepted everywhere.
public enum CertificateKeyType: String, Sendable, Codable, CaseIterable {
    case p256 = "ec-p256"
    case rsa2048 = "rsa-2048"
    case rsa3072 = "rsa-3072"
    case rsa4096 = "rsa-4096"
}

/// The private key of a certificate. The app seals `pemRepresentation` in the SecretBox.
public struct CertificateKey: Sendable {
    public let key: ACMEAccountKey

    public init(generating type: CertificateKeyType) throws {
        switch type {
        case .p256: key = .generateP256()
        case .rsa2048: key = try .generateRSA(bits: 2048)
        case .rsa3072: key = try .generateRSA(bits: 3072)
        case .rsa4096: key = try .generateRSA(bits: 4096)
        }
    }

    public init(pem: String) throws {
        key = try ACMEAccountKey(pem: pem)
    }

    public var pemRepresentation: String { key.pemRepresentation }

    var x509PrivateKey: Certificate.PrivateKey {
        switch key {
        case .p256(let k): Certificate.PrivateKey(k)
        case .rsa(let k): Certificate.PrivateKey(k)
        }
    }

    /// A DER CSR naming every identifier in a subjectAltName extension. The CN carries the first
    /// DNS name when it fits the 64-character limit; CAs take the names from the SANs anyway.
    public func csrDER(identifiers: [ACMEIdentifier]) throws -> [UInt8] {
        var names: [GeneralName] = []
        for identifier in identifiers {
            if identifier.type == "ip" {
                guard let bytes = IPAddressBytes.parse(identifier.value) else {
                    throw ACMEError.invalidCertificate("not an IP address: \(identifier.value)")
                }
                names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
            } else {
                names.append(.dnsName(identifier.value))
            }
        }
        let commonName = identifiers.first { $0.type == "dns" && $0.value.utf8.count <= 64 }?.value
        let subject = try DistinguishedName {
            if let commonName { CommonName(commonName) }
        }
        let extensions = try Certificate.Extensions {
            SubjectAlternativeNames(names)
        }
        let attributes = try CertificateSigningRequest.Attributes(
            [.init(ExtensionRequest(extensions: extensions))])
        let csr = try CertificateSigningRequest(
            version: .v1, subject: subject, privateKey: x509PrivateKey, attributes: attributes)
        var serializer = DER.Serializer()
        try serializer.serialize(csr)
        return serializer.serializedBytes
    }
}

/// Textual IPv4/IPv6 to network-order bytes, for IP SANs.
enum IPAddressBytes {
    static func parse(_ text: String) -> [UInt8]? {
        if text.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
            return withUnsafeBytes(of: &address) { Array($0) }
        }
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
