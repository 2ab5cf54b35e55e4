import Crypto
import Foundation
import UnityACMETestSupport
import Testing
@testable import UnityACME

/// Contract test for the step-ca client. No step-ca server can run here (not packaged in Debian
/// 12, see TESTBED.md), so a fake on loopback (python3's http.server) records each request and
/// answers with step-ca's documented response shape; the test checks the exact request shape
/// step-ca documents: `POST /1.0/sign {"csr", "ott", "notAfter"}`, `POST /1.0/ssh/sign
/// {"publicKey" (base64 wire key), "ott", "certType", "keyID", "principals"}`, and a JWT
/// `ott` signed by the provisioner key with iss/aud/sub/sha/jti/kid.
@Suite("step-ca sign API contract (fake server)", .timeLimit(.minutes(1)))
struct StepCAContractTests {
    static let fakeServer = #"""
    import http.server, json, sys
    log = open(sys.argv[2], "a")
    class H(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            log.write(json.dumps({"path": self.path, "type": self.headers["Content-Type"], "body": json.loads(body)}) + "\n"); log.flush()
            if self.path == "/1.0/sign":
                reply = {"crt": "LEAF", "ca": "INTERMEDIATE", "certChain": ["LEAF", "INTERMEDIATE"]}
            elif self.path == "/1.0/ssh/sign":
                reply = {"crt": "AAAAIHNzaC1lZDI1NTE5LWNlcnQ="}
            else:
                self.send_response(404); self.end_headers(); return
            out = json.dumps(reply).encode()
            self.send_response(201); self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out))); self.end_headers(); self.wfile.write(out)
        def log_message(self, *args): pass
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
    """#

    @Test("X.509 and SSH sign requests have step-ca's shape; the OTT verifies with the provisioner key")
    func requestShape() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-stepca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("fake.py"), log = dir.appendingPathComponent("requests.jsonl")
        try Self.fakeServer.write(to: script, atomically: true, encoding: .utf8)
        let port = try TestPorts.take(1)[0]
        let server = TestChildProcess("/usr/bin/python3", [script.path, String(port), log.path])
        try server.start()
        let http = try ACMEHTTPClientFactory.make()
        do {
            let p256 = P256.Signing.PrivateKey()
            let token = StepCAToken(provisioner: "admin@homelab.test", key: .p256(p256), rootFingerprint: "abc123")
            let client = StepCAClient(baseURL: "http://127.0.0.1:\(port)/", token: token, httpClient: http)
            let transport = HTTPTransport(client: http)
            for _ in 0..<50 where (try? await transport.send(.GET, "http://127.0.0.1:\(port)/")) == nil {
                try await Task.sleep(for: .milliseconds(100))
            }
            let key = try CertificateKey(generating: .p256)
            let csr = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Data(try key.csrDER(identifiers: [.dns("nas.homelab.test")])).base64EncodedString(options: .lineLength64Characters)
                + "\n-----END CERTIFICATE REQUEST-----\n"
            let signed = try await client.sign(csrPEM: csr, subject: "nas.homelab.test", sans: ["nas.homelab.test"],
                                               notAfter: Date(timeIntervalSince1970: 1_900_000_000))
            #expect(signed == .init(certificatePEM: "LEAF", chainPEM: ["LEAF", "INTERMEDIATE"]))
            let ssh = try await client.signSSH(publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHxJ user@host", certType: "user",
                                               keyID: "alice", principals: ["alice", "admin"])
            #expect(ssh == "ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQ=")

            let requests = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            try #require(requests.count == 2)
            #expect(requests.map { $0["path"] as? String } == ["/1.0/sign", "/1.0/ssh/sign"])
            #expect(requests.allSatisfy { $0["type"] as? String == "application/json" })
            let sign = try #require(requests[0]["body"] as? [String: Any])
            #expect(Set(sign.keys) == ["csr", "ott", "notAfter"])
            #expect(sign["csr"] as? String == csr)
            #expect(sign["notAfter"] as? String == "2030-03-17T17:46:40Z")
            let claims = try Self.verify(sign["ott"] as? String ?? "", key: p256.publicKey, kid: try token.key.thumbprint())
            #expect(claims["aud"] as? String == "http://127.0.0.1:\(port)/1.0/sign")
            #expect(claims["iss"] as? String == "admin@homelab.test")
            #expect(claims["sub"] as? String == "nas.homelab.test")
            #expect(claims["sans"] as? [String] == ["nas.homelab.test"])
            #expect(claims["sha"] as? String == "abc123")
            #expect((claims["exp"] as? Int ?? 0) - (claims["nbf"] as? Int ?? 0) == 300)
            #expect(claims["jti"] as? String != nil)

            let sshBody = try #require(requests[1]["body"] as? [String: Any])
            #expect(Set(sshBody.keys) == ["publicKey", "ott", "certType", "keyID", "principals"])
            #expect(sshBody["publicKey"] as? String == "AAAAC3NzaC1lZDI1NTE5AAAAIHxJ")
            #expect(sshBody["certType"] as? String == "user" && sshBody["keyID"] as? String == "alice")
            let sshClaims = try Self.verify(sshBody["ott"] as? String ?? "", key: p256.publicKey, kid: try token.key.thumbprint())
            #expect(sshClaims["aud"] as? String == "http://127.0.0.1:\(port)/1.0/ssh/sign")
            let step = (sshClaims["step"] as? [String: Any])?["ssh"] as? [String: Any]
            #expect(step?["principals"] as? [String] == ["alice", "admin"] && step?["certType"] as? String == "user")
        } catch {
            try? await http.shutdown()
            await server.stop()
            throw error
        }
        try? await http.shutdown()
        await server.stop()
    }

    /// Checks the ES256 signature and the header (alg, kid = JWK thumbprint, typ), returns claims.
    static func verify(_ jwt: String, key: P256.Signing.PublicKey, kid: String) throws -> [String: Any] {
        let parts = jwt.split(separator: ".").map(String.init)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]), let claimData = Base64URL.decode(parts[1]),
              let signatureData = Base64URL.decode(parts[2]),
              let header = try JSONSerialization.jsonObject(with: headerData) as? [String: Any],
              let claims = try JSONSerialization.jsonObject(with: claimData) as? [String: Any] else {
            throw TestSupportError("not a JWT: \(jwt)")
        }
        #expect(header["alg"] as? String == "ES256" && header["typ"] as? String == "JWT")
        #expect(header["kid"] as? String == kid)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: signatureData)
        #expect(key.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8)))
        return claims
    }
}
