import Foundation
import Testing
@testable import UnityCertificates

/// Broken input never traps and always names what is wrong.
struct GarbageInputTests {
    static let sample = InternalCASample.leafPEM

    @Test func plainTextHasNoCertificate() {
        #expect(throws: CertificateError.noCertificate) { try ParsedCertificate.parseAll(pem: "hello, world\n") }
        #expect(throws: CertificateError.noCertificate) { try ParsedCertificate.parseAll(pem: "") }
    }

    @Test func truncatedPEMIsReportedAsTruncated() {
        let cut = String(Self.sample.prefix(Self.sample.count / 2))
        #expect(throws: CertificateError.truncatedPEM(label: "CERTIFICATE")) { try ParsedCertificate.parseAll(pem: cut) }
    }

    @Test func badBase64IsReported() {
        let text = "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n"
        #expect(throws: CertificateError.invalidBase64(label: "CERTIFICATE", index: 0)) { try ParsedCertificate.parseAll(pem: text) }
    }

    @Test func base64ThatIsNotDERIsAnInvalidCertificate() throws {
        let text = PEMBlock.encode(label: "CERTIFICATE", der: Array("definitely not DER".utf8))
        let error = #expect(throws: CertificateError.self) { try ParsedCertificate.parseAll(pem: Self.sample + text) }
        guard case .invalidCertificate(let index, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(index == 1)
    }

    /// Every prefix of a valid PEM, and DER with bytes flipped, gives a typed error or a result.
    @Test func everyPrefixAndBitFlipIsHandled() throws {
        for length in stride(from: 0, to: Self.sample.count, by: 7) {
            _ = try? ParsedCertificate.parseAll(pem: String(Self.sample.prefix(length)))
        }
        let der = try PEMBlock.parseAll(Self.sample)[0].der
        for index in stride(from: 0, to: der.count, by: 3) {
            var broken = der
            broken[index] ^= 0xff
            _ = try? ParsedCertificate(der: broken)
            _ = try? ParsedCertificate(der: Array(der.prefix(index)))
        }
    }

    @Test func keyErrorsAreTyped() {
        #expect(throws: CertificateError.noPrivateKey) { try ImportedPrivateKey(pem: Self.sample) }
        let garbage = PEMBlock.encode(label: "PRIVATE KEY", der: [0x30, 0x03, 0x02, 0x01, 0x00])
        #expect(throws: CertificateError.self) { try ImportedPrivateKey(pem: garbage) }
        let encrypted = PEMBlock.encode(label: "ENCRYPTED PRIVATE KEY", der: [0x30, 0x00])
        let error = #expect(throws: CertificateError.self) { try ImportedPrivateKey(pem: encrypted) }
        guard case .unsupportedPrivateKey(let message) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.contains("passphrase"))
        let dsa = PEMBlock.encode(label: "DSA PRIVATE KEY", der: [0x30, 0x00])
        #expect(throws: CertificateError.self) { try ImportedPrivateKey(pem: dsa) }
    }
}

/// A fixed certificate for tests that need no openssl: issued once per run by the module itself.
enum InternalCASample {
    static let leafPEM: String = {
        let ca = try! InternalCA.create(keyAlgorithm: .p256)
        return try! ca.issue(LeafRequest(dnsNames: ["sample.test"])).certificatePEM
    }()
}
