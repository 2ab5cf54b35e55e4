import Foundation
import Testing
@testable import UnityCertificates

/// The internal CA's output, judged by the real `openssl verify` and `openssl x509 -text`.
@Suite(.enabled(if: OpenSSLTool.available, "needs /usr/bin/openssl (apt-get install -y openssl)"))
struct IssuanceTests {
    @Test(arguments: [LeafKeyAlgorithm.p256, .rsa2048])
    func openSSLVerifiesALeafOfTheInternalCA(algorithm: LeafKeyAlgorithm) throws {
        let directory = try Spawn.temporaryDirectory("unity-certs-ca")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ca = try InternalCA.create(commonName: "Unity Test CA", organization: "Homelab")
        let issued = try ca.issue(LeafRequest(
            dnsNames: ["app.home.arpa", "*.apps.home.arpa"], ipAddresses: ["10.0.0.5", "fd00::5"],
            keyAlgorithm: algorithm, clientAuth: true))
        try ca.rootPEM.write(toFile: directory + "/root.pem", atomically: true, encoding: .utf8)
        try issued.certificatePEM.write(toFile: directory + "/leaf.pem", atomically: true, encoding: .utf8)

        let verify = try OpenSSLTool.run(["verify", "-CAfile", directory + "/root.pem", directory + "/leaf.pem"])
        #expect(verify.trimmingCharacters(in: .whitespacesAndNewlines) == directory + "/leaf.pem: OK")

        let text = try OpenSSLTool.run(["x509", "-in", directory + "/leaf.pem", "-noout", "-text"])
        #expect(text.contains("DNS:app.home.arpa, DNS:*.apps.home.arpa, IP Address:10.0.0.5, IP Address:FD00:0:0:0:0:0:0:5"))
        #expect(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("Subject: CN = app.home.arpa"))

        let leaf = issued.certificate
        #expect(leaf.serialHex.count == 32)
        #expect(leaf.keyKind == (algorithm == .p256 ? .ecdsaP256 : .rsa(bits: 2048)))
        #expect(abs(leaf.notAfter.timeIntervalSinceNow - 90 * 86_400) < 60)
        #expect(issued.privateKey.matches(leaf))
        // What Unity issues, Unity imports: the PEMs round-trip through the parser.
        let bundle = try CertificateBundle(certificatePEM: issued.fullChainPEM, privateKeyPEM: issued.privateKeyPEM)
        #expect(bundle.leaf == leaf && bundle.chain == [ca.root])
    }

    @Test func rootIsAPathLenZeroCAForTenYears() throws {
        let directory = try Spawn.temporaryDirectory("unity-certs-root")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ca = try InternalCA.create()
        try ca.rootPEM.write(toFile: directory + "/root.pem", atomically: true, encoding: .utf8)
        let text = try OpenSSLTool.run(["x509", "-in", directory + "/root.pem", "-noout", "-text"])
        #expect(text.contains("CA:TRUE, pathlen:0"))
        #expect(text.contains("Certificate Sign, CRL Sign"))
        #expect(text.contains("NIST CURVE: P-384"))
        #expect(ca.root.isCA && ca.root.isSelfSigned)
        let years = ca.root.notAfter.timeIntervalSince(ca.root.notBefore) / (365.25 * 86_400)
        #expect(years > 9.99 && years < 10.01)
        // Stored and loaded again: same root, and it still issues.
        let loaded = try InternalCA(rootPEM: ca.rootPEM, privateKeyPEM: ca.privateKeyPEM)
        #expect(loaded.root == ca.root)
        _ = try loaded.issue(LeafRequest(dnsNames: ["again.test"]))
        let other = try InternalCA.create()
        #expect(throws: CertificateError.keyMismatch) { try InternalCA(rootPEM: ca.rootPEM, privateKeyPEM: other.privateKeyPEM) }
    }

    @Test func selfSignedLeafVerifiesAgainstItself() throws {
        let directory = try Spawn.temporaryDirectory("unity-certs-self")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let issued = try InternalCA.selfSigned(LeafRequest(dnsNames: ["nas.home.arpa"], ipAddresses: ["192.168.1.10"], validityDays: 30))
        try issued.certificatePEM.write(toFile: directory + "/self.pem", atomically: true, encoding: .utf8)
        let verify = try OpenSSLTool.run(["verify", "-CAfile", directory + "/self.pem", directory + "/self.pem"])
        #expect(verify.contains(": OK"))
        #expect(issued.certificate.isSelfSigned && !issued.certificate.isCA)
        #expect(issued.chain.isEmpty)
    }

    @Test func rejectsBadNames() {
        let ca = try? InternalCA.create(keyAlgorithm: .p256)
        #expect(throws: CertificateError.invalidSubjectAlternativeName("not-an-ip")) {
            try ca?.issue(LeafRequest(dnsNames: ["ok.test"], ipAddresses: ["not-an-ip"]))
        }
        #expect(throws: CertificateError.self) { try ca?.issue(LeafRequest(dnsNames: [])) }
        #expect(throws: CertificateError.self) { try ca?.issue(LeafRequest(dnsNames: ["bad name"])) }
    }
}
