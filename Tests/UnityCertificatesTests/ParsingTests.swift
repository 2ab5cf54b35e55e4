import Foundation
import Testing
@testable import UnityCertificates

/// Certificates and keys made by the real openssl, parsed by the module, compared field by field
/// with what openssl itself prints.
@Suite(.enabled(if: OpenSSLTool.available, "needs /usr/bin/openssl (apt-get install -y openssl)"))
struct ParsingTests {
    @Test(arguments: [("rsa2048", KeyKind.rsa(bits: 2048)), ("p256", .ecdsaP256), ("p384", .ecdsaP384), ("ed25519", .ed25519)])
    func parsesOpenSSLCertificate(kind: String, expected: KeyKind) throws {
        let directory = try Spawn.temporaryDirectory("unity-certs-parse")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try OpenSSLTool.selfSigned(kind, in: directory)
        let bundle = try CertificateBundle(
            certificatePEM: OpenSSLTool.read(files.certificate), privateKeyPEM: OpenSSLTool.read(files.key))
        let leaf = bundle.leaf

        let serial = try OpenSSLTool.run(["x509", "-in", files.certificate, "-noout", "-serial"])
        #expect("serial=" + leaf.serialHex.uppercased() == serial.trimmingCharacters(in: .whitespacesAndNewlines))
        let fingerprint = try OpenSSLTool.run(["x509", "-in", files.certificate, "-noout", "-fingerprint", "-sha256"])
        #expect(fingerprint.contains("=" + leaf.fingerprintColonHex))
        #expect(leaf.keyKind == expected)
        #expect(leaf.subject.contains("CN=test.example"))
        #expect(leaf.subject.contains("O=Unity Tests"))
        #expect(leaf.dnsNames == ["test.example", "www.test.example"])
        #expect(leaf.ipAddresses == ["127.0.0.1", "::1"])
        #expect(leaf.emailAddresses == ["admin@test.example"])
        #expect(leaf.isSelfSigned)
        #expect(leaf.notAfter.timeIntervalSince(leaf.notBefore) == 30 * 86_400)
        #expect(bundle.privateKey?.kind == expected)
        #expect(bundle.chain.isEmpty)
    }

    /// PKCS#8 (openssl 3's default), SEC1 and PKCS#1 all load and match their certificate.
    @Test(arguments: [("p256", ["ec", "-in"]), ("rsa2048", ["rsa", "-traditional", "-in"]), ("p384", ["pkey", "-in"])])
    func readsEveryKeyFormat(kind: String, convert: [String]) throws {
        let directory = try Spawn.temporaryDirectory("unity-certs-keys")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try OpenSSLTool.selfSigned(kind, in: directory)
        let converted = try OpenSSLTool.run(convert + [files.key])
        let label = kind == "p256" ? "EC PRIVATE KEY" : kind == "rsa2048" ? "RSA PRIVATE KEY" : "PRIVATE KEY"
        #expect(converted.contains("-----BEGIN \(label)-----"))
        let bundle = try CertificateBundle(certificatePEM: OpenSSLTool.read(files.certificate), privateKeyPEM: converted)
        #expect(bundle.privateKey != nil)
    }

    @Test func rejectsAKeyOfAnotherCertificate() throws {
        let directory = try Spawn.temporaryDirectory("unity-certs-mismatch")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let one = try OpenSSLTool.selfSigned("p256", in: directory, name: "one")
        let two = try OpenSSLTool.selfSigned("p256", in: directory, name: "two")
        let error = #expect(throws: CertificateError.self) {
            try CertificateBundle(certificatePEM: OpenSSLTool.read(one.certificate), privateKeyPEM: OpenSSLTool.read(two.key))
        }
        #expect(error == .keyMismatch)
        #expect(error?.description == "private key does not match the certificate")
    }

    /// Certificates given in any order and split over two texts come back leaf first.
    @Test func ordersAChainLeafFirst() throws {
        let directory = try Spawn.temporaryDirectory("unity-certs-chain")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = try OpenSSLTool.chain(in: directory)
        let root = try OpenSSLTool.read(files.root), intermediate = try OpenSSLTool.read(files.intermediate)
        let leaf = try OpenSSLTool.read(files.leaf)
        let bundle = try CertificateBundle(
            certificatePEM: intermediate + root, chainPEM: leaf, privateKeyPEM: OpenSSLTool.read(files.leafKey))
        #expect(bundle.leaf.subject == "CN=chain.test.example")
        #expect(bundle.chain.map(\.subject) == ["CN=Test Intermediate", "CN=Test Root"])
        #expect(bundle.unrelated.isEmpty)
        #expect(!bundle.leaf.isCA && bundle.chain.allSatisfy(\.isCA))
        #expect(bundle.chain.last?.isSelfSigned == true && !bundle.leaf.isSelfSigned)
        #expect(bundle.fullChainPEM == leaf + intermediate + root)
    }

    @Test func twoUnrelatedCAsAreAmbiguous() throws {
        let directory = try Spawn.temporaryDirectory("unity-certs-ambiguous")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let extra = ["-addext", "basicConstraints=critical,CA:true"]
        let one = try OpenSSLTool.selfSigned("p256", in: directory, name: "one", subject: "/CN=One", extra: extra)
        let two = try OpenSSLTool.selfSigned("p256", in: directory, name: "two", subject: "/CN=Two", extra: extra)
        let error = #expect(throws: CertificateError.self) {
            try CertificateBundle(certificatePEM: OpenSSLTool.read(one.certificate) + OpenSSLTool.read(two.certificate))
        }
        #expect(error == .ambiguousLeaf(subjects: ["CN=One", "CN=Two"]))
    }
}
