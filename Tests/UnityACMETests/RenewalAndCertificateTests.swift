import Foundation
import UnityACMETestSupport
import Testing
@testable import UnityACME

@Suite("Renewal policy, ARI, certificate info, problem documents")
struct RenewalAndCertificateTests {
    let notBefore = Date(timeIntervalSince1970: 1_700_000_000)
    var notAfter: Date { notBefore.addingTimeInterval(90 * 86_400) }

    @Test("Default: renew once a third of the lifetime remains (day 60 of 90), not before")
    func thirdOfLifetime() {
        let day = { (d: Double) in notBefore.addingTimeInterval(d * 86_400) }
        #expect(!RenewalPolicy.shouldRenew(notBefore: notBefore, notAfter: notAfter, now: day(59.9)))
        #expect(RenewalPolicy.shouldRenew(notBefore: notBefore, notAfter: notAfter, now: day(60)))
        #expect(RenewalPolicy.shouldRenew(notBefore: notBefore, notAfter: notAfter, now: day(100)))
        #expect(!RenewalPolicy.shouldRenew(notBefore: notBefore, notAfter: notAfter, now: day(80), fraction: 0.1))
        #expect(RenewalPolicy.renewalDate(notBefore: notBefore, notAfter: notAfter, fraction: 0.5) == day(45))
    }

    @Test("ARI: inside or after the suggested window renews early; before it, the lifetime rule still applies")
    func ariWindow() {
        let day = { (d: Double) in notBefore.addingTimeInterval(d * 86_400) }
        let early = RenewalInfo(windowStart: day(10), windowEnd: day(11))
        #expect(!RenewalPolicy.shouldRenew(notBefore: notBefore, notAfter: notAfter, ari: early, now: day(9)))
        #expect(RenewalPolicy.shouldRenew(notBefore: notBefore, notAfter: notAfter, ari: early, now: day(10.5)))
        #expect(RenewalPolicy.shouldRenew(notBefore: notBefore, notAfter: notAfter, ari: early, now: day(12)))
        let late = RenewalInfo(windowStart: day(70), windowEnd: day(75))
        #expect(RenewalPolicy.shouldRenew(notBefore: notBefore, notAfter: notAfter, ari: late, now: day(61)))
    }

    @Test("ARI suggestedWindow parsing (RFC 3339 with and without fractions) and refusal of bad windows")
    func ariParsing() throws {
        let json = #"{"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00.5Z"},"explanationURL":"https://ca/why"}"#
        let info = try RenewalInfo.parse(Data(json.utf8))
        #expect(info.windowStart == Date(timeIntervalSince1970: 1_735_790_400))
        #expect(info.windowEnd == Date(timeIntervalSince1970: 1_735_876_800.5))
        #expect(info.explanationURL == "https://ca/why")
        let reversed = #"{"suggestedWindow":{"start":"2025-01-03T00:00:00Z","end":"2025-01-02T00:00:00Z"}}"#
        #expect(throws: ACMEError.self) { try RenewalInfo.parse(Data(reversed.utf8)) }
    }

    @Test("CertificateInfo matches openssl's view of a certificate; ARI id = base64url(AKI).base64url(serial)")
    func certificateInfo() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = (dir.appendingPathComponent("c.pem").path, dir.appendingPathComponent("k.pem").path)
        try await TestChildProcess.checked("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
            "-subj", "/CN=nas.homelab.test", "-addext", "subjectAltName=DNS:nas.homelab.test,DNS:*.homelab.test,IP:10.0.0.5",
            "-set_serial", "0x00c0ffee1234", "-keyout", key, "-out", cert])
        let pem = try String(contentsOfFile: cert, encoding: .utf8)
        let info = try CertificateInfo(pemChain: pem)
        #expect(info.dnsNames == ["nas.homelab.test", "*.homelab.test"])
        #expect(info.ipAddresses == ["10.0.0.5"])
        #expect(info.serialHex == "c0ffee1234")
        #expect(info.keyType == "ec-p256")
        #expect(info.subject.contains("nas.homelab.test"))
        #expect(info.notAfter.timeIntervalSince(info.notBefore) == 30 * 86_400)
        #expect(info.sha256Fingerprint.count == 64)
        let aki = try #require(info.authorityKeyIdentifier)
        // serial 0xc0ffee1234 has the high bit set: its DER content gets a leading 0x00.
        let id = try RenewalInfo.certificateID(pem: pem).split(separator: ".").map(String.init)
        #expect(id.first == Base64URL.encode(hexBytes(aki)))
        #expect(id.last == Base64URL.encode([0x00, 0xc0, 0xff, 0xee, 0x12, 0x34]))
        #expect(try CertificateInfo.privateKey(String(contentsOfFile: key, encoding: .utf8), matches: pem))
        #expect(try !CertificateInfo.privateKey(ACMEAccountKey.generateP256().pemRepresentation, matches: pem))
        #expect(throws: ACMEError.self) { try CertificateInfo(pemChain: "nothing") }
    }

    @Test("CSR: P-256 and RSA CSRs verify with openssl and carry every name as a SAN; long names stay out of the CN")
    func csr() async throws {
        let long = String(repeating: "a", count: 60) + ".homelab.test"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-csr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for type in [CertificateKeyType.p256, .rsa2048] {
            let key = try CertificateKey(generating: type)
            let der = try key.csrDER(identifiers: [.dns(long), .dns("b.homelab.test"), .ip("192.0.2.1")])
            let file = dir.appendingPathComponent("\(type.rawValue).der")
            try Data(der).write(to: file)
            let text = try await TestChildProcess.checked("/usr/bin/openssl", ["req", "-inform", "DER", "-in", file.path,
                                                                           "-noout", "-text", "-verify"])
            #expect(text.contains("DNS:\(long)") && text.contains("DNS:b.homelab.test"))
            #expect(text.contains("IP Address:192.0.2.1"))
            #expect(text.contains("CN = b.homelab.test") || text.contains("CN=b.homelab.test"))
            #expect(text.contains(type == .p256 ? "id-ecPublicKey" : "rsaEncryption"))
        }
    }

    @Test("Problem documents decode with subproblems, and their description is the alert text")
    func problemText() throws {
        let json = #"""
        {"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"Some identifiers were rejected","status":400,
         "subproblems":[{"type":"urn:ietf:params:acme:error:malformed","detail":"Invalid underscore","identifier":{"type":"dns","value":"_x.test"}}]}
        """#
        let problem = try JSONDecoder().decode(ACMEProblem.self, from: Data(json.utf8))
        #expect(problem.shortType == "rejectedIdentifier")
        #expect(problem.description == "rejectedIdentifier: Some identifiers were rejected; malformed [_x.test]: Invalid underscore")
        let result = HTTPResult(status: 429, headers: ["Retry-After": "120", "Content-Type": "application/problem+json"],
                                body: Data(#"{"type":"urn:ietf:params:acme:error:rateLimited","detail":"slow down"}"#.utf8), url: "u")
        #expect(result.problem?.retryAfter == 120)
        #expect(result.problem?.status == 429)
    }
}
