import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// step-ca through the API. No step-ca server can run on this machine (it is not packaged in
/// Debian 12), so these tests run against a contract fake (`scripts/testbed/stepca_fake.py`,
/// see `StepCAFake`) on loopback over TLS: it serves the root by fingerprint, verifies each
/// one-time token as step-ca does (ES256 signature by the provisioner key, kid, iss, exact aud,
/// sha = root fingerprint, unused jti, sans = the CSR's names) and really signs, X.509 under an
/// intermediate and SSH with `ssh-keygen -s`. The results are checked with openssl and ssh-keygen.
@Suite("step-ca API against a contract fake step-ca", .timeLimit(.minutes(3)))
struct StepCAAPITests {
    static let password = "UNITYCANARY-stepca-provisioner-password"

    @Test("bootstrap: root pinned by fingerprint; wrong fingerprint 422, unreachable 502; bad input names its field",
          arguments: TestDatabase.available)
    func createAuthority(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            try await StepCAFake.with(password: Self.password) { fake in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let operatorToken = try await client.user(.operator, adminToken: admin).token
                let jwk = try #require(try JSONSerialization.jsonObject(with: Data(fake.privateJWK.utf8)) as? [String: Any])
                let base: [String: Any] = ["name": "lab-ca", "url": fake.url, "root_fingerprint": fake.rootFingerprint,
                                           "provisioner_name": fake.provisionerName, "provisioner_jwk": jwk]
                func create(_ changes: [String: Any?], token: String? = nil) async throws -> TestResponse {
                    var body = base
                    for (key, value) in changes { body[key] = value }
                    return try await client.send(.POST, "/api/v1/step-ca/authorities", token: token ?? admin, json: body)
                }

                #expect(try await create([:], token: operatorToken).status == .forbidden)
                // A man in the middle answering any fingerprint: the root's real SHA-256 differs.
                let lying = try await create(["root_fingerprint": "deadbeef" + String(repeating: "0", count: 56)])
                #expect(lying.status == .unprocessableEntity && lying.errorField == "root_fingerprint", "\(lying.body)")
                #expect(lying.errorMessage?.contains(fake.rootFingerprint) == true)
                // step-ca has no root with that fingerprint (404): also the fingerprint's fault.
                let unknown = try await create(["root_fingerprint": String(repeating: "ab", count: 32)])
                #expect(unknown.status == .unprocessableEntity && unknown.errorField == "root_fingerprint", "\(unknown.body)")
                let closedPort = try TestPorts.take(1)[0]
                let unreachable = try await create(["url": "https://127.0.0.1:\(closedPort)"])
                #expect(unreachable.status == .badGateway && unreachable.errorCode == "step_ca_unreachable", "\(unreachable.body)")
                #expect(unreachable.errorMessage?.contains("could not be reached") == true)

                for (changes, field) in [
                    (["url": "http://127.0.0.1:9000"], "url"), (["root_fingerprint": "xyz"], "root_fingerprint"),
                    (["provisioner_name": ""], "provisioner_name"),
                    (["provisioner_jwk": ["kty": "EC", "crv": "P-256", "x": jwk["x"] ?? "", "y": jwk["y"] ?? ""]], "provisioner_jwk"),
                    (["provisioner_jwk": nil], "provisioner_jwk"),
                    (["encrypted_key": fake.encryptedKey, "password": Self.password], "provisioner_jwk"),
                    (["provisioner_jwk": nil, "encrypted_key": fake.encryptedKey], "password"),
                    (["provisioner_jwk": nil, "encrypted_key": fake.encryptedKey, "password": "wrong-UNITYCANARY"], "password"),
                    (["provisioner_jwk": nil, "encrypted_key": "a.b.c", "password": Self.password], "encrypted_key"),
                ] as [([String: Any?], String)] {
                    let refused = try await create(changes)
                    #expect(refused.status == .unprocessableEntity && refused.errorField == field, "\(field): \(refused.body)")
                    #expect(!refused.body.contains("UNITYCANARY") && !refused.body.contains(jwk["d"] as? String ?? "?"))
                }

                // The JWK given as JSON text works as well as an object.
                let created = try await create(["provisioner_jwk": fake.privateJWK])
                #expect(created.status == .created, "\(created.body)")
                #expect(created.json["root_pem"] as? String == fake.rootPEM)
                #expect(created.json["root_fingerprint"] as? String == fake.rootFingerprint)
                #expect(created.json["provisioner_key_form"] as? String == "jwk")
                #expect(created.json["acme_directory_url"] is NSNull || created.json["acme_directory_url"] == nil)
                #expect(try await create([:]).status == .conflict)
                let id = try #require(created.json["id"] as? String)
                // The plain-JWK provisioner signs too, and not_after reaches step-ca.
                let notAfter = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3 * 86_400))
                let issued = try await client.send(.POST, "/api/v1/step-ca/authorities/\(id)/x509", token: operatorToken, json: [
                    "names": ["web.homelab.test"], "not_after": notAfter])
                #expect(issued.status == .created, "\(issued.body)")
                #expect(issued.json["not_after"] as? String == notAfter && issued.json["name"] as? String == "web.homelab.test")
                // Not an ACME provisioner: no directory, and an ACME account cannot be made from it.
                #expect(try await client.send(.GET, "/api/v1/step-ca/authorities/\(id)/acme-directory", token: admin).status == .notFound)
                let account = try await client.send(.POST, "/api/v1/acme/accounts", token: admin, json: [
                    "name": "lab-acme", "step_ca_id": id, "terms_of_service_agreed": true])
                #expect(account.status == .unprocessableEntity && account.errorField == "step_ca_id", "\(account.body)")
                // One with an ACME provisioner: the account is registered at its directory, over TLS
                // trusting the pinned root (the fake has no ACME server, so registration then fails).
                let withACME = try await create(["name": "lab-ca-acme", "acme_provisioner": "acme"])
                let acmeAccount = try await client.send(.POST, "/api/v1/acme/accounts", token: admin, json: [
                    "name": "lab-acme", "step_ca_id": withACME.json["id"] as? String ?? "", "terms_of_service_agreed": true])
                #expect(acmeAccount.status == .badGateway, "\(acmeAccount.body)")
                #expect(fake.requests().contains { $0["path"] as? String == "/acme/acme/directory" }, "\(fake.requests())")

                #expect(try await client.send(.DELETE, "/api/v1/step-ca/authorities/\(id)", token: operatorToken).status == .forbidden)
                #expect(try await client.send(.DELETE, "/api/v1/step-ca/authorities/\(id)", token: admin).status == .noContent)
                #expect(try await client.send(.GET, "/api/v1/step-ca/authorities/\(id)", token: admin).status == .notFound)
            }
        }
    }

    @Test("X.509 and SSH certificates signed through the encrypted-key provisioner; secrets never shown; roles",
          arguments: TestDatabase.available)
    func issue(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            try await StepCAFake.with(password: Self.password) { fake in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let operatorToken = try await client.user(.operator, adminToken: admin).token
                let viewer = try await client.user(.viewer, adminToken: admin).token
                var seen: [TestResponse] = []
                func send(_ method: HTTPMethod, _ path: String, _ token: String, _ json: [String: Any]? = nil) async throws -> TestResponse {
                    let response = try await client.send(method, path, token: token, json: json)
                    seen.append(response)
                    return response
                }

                // step-ca's `encryptedKey` (a JWE made by python `cryptography`), decrypted by Unity.
                let created = try await send(.POST, "/api/v1/step-ca/authorities", admin, [
                    "name": "lab-ca", "url": fake.url + "/", "root_fingerprint": fake.rootFingerprint.uppercased(),
                    "provisioner_name": fake.provisionerName, "encrypted_key": fake.encryptedKey, "password": Self.password,
                    "acme_provisioner": "acme"])
                #expect(created.status == .created, "\(created.body)")
                #expect(created.json["provisioner_key_form"] as? String == "encrypted_key")
                #expect(created.json["url"] as? String == fake.url)
                let id = try #require(created.json["id"] as? String)
                let authorities = "/api/v1/step-ca/authorities"
                #expect(try await send(.GET, authorities, viewer).json["total"] as? Int == 1)
                #expect(try await send(.GET, "\(authorities)/\(id)", viewer).status == .ok)
                let directory = try await send(.GET, "\(authorities)/\(id)/acme-directory", viewer)
                #expect(directory.json["directory_url"] as? String == "\(fake.url)/acme/acme/directory")
                #expect(directory.json["trusted_roots_pem"] as? String == fake.rootPEM)

                // X.509: Unity's key and CSR, step-ca's certificate, the inventory's entry.
                #expect(try await send(.POST, "\(authorities)/\(id)/x509", viewer, ["names": ["nas.homelab.test"]]).status == .forbidden)
                let bad = try await send(.POST, "\(authorities)/\(id)/x509", operatorToken, ["names": ["not a name"]])
                #expect(bad.status == .unprocessableEntity && bad.errorField == "names")
                let issued = try await send(.POST, "\(authorities)/\(id)/x509", operatorToken, [
                    "names": ["nas.homelab.test", "192.168.1.10"], "name": "nas"])
                #expect(issued.status == .created, "\(issued.body)")
                #expect(issued.json["source"] as? String == "step_ca")
                #expect(issued.json["has_private_key"] as? Bool == true)
                #expect(Set(issued.json["sans"] as? [String] ?? []) == ["nas.homelab.test", "192.168.1.10"])
                #expect((issued.json["issuer"] as? String)?.contains("Fake step-ca Intermediate CA") == true)
                let certificateID = try #require(issued.json["id"] as? String)
                let inventory = try await send(.GET, "/api/v1/certificates/\(certificateID)", viewer)
                #expect(inventory.json["source"] as? String == "step_ca")
                let verified = try Self.openssl(fake, leaf: issued.json["certificate_pem"] as? String ?? "",
                                                chain: issued.json["chain_pem"] as? String ?? "")
                #expect(verified.verify.hasSuffix(": OK"), "\(verified.verify)")
                #expect(verified.sans.contains("DNS:nas.homelab.test") && verified.sans.contains("IP Address:192.168.1.10"), "\(verified.sans)")

                // SSH user certificate for a stored key, checked by ssh-keygen.
                let key = try await send(.POST, "/api/v1/ssh-keys", operatorToken, ["name": "alice", "type": "ed25519"])
                #expect(key.status == .created, "\(key.body)")
                let keyID = try #require(key.json["id"] as? String)
                let user = try await send(.POST, "\(authorities)/\(id)/ssh", operatorToken, [
                    "ssh_key_id": keyID, "cert_type": "user", "key_id": "alice@homelab", "principals": ["alice", "admin"]])
                #expect(user.status == .created, "\(user.body)")
                #expect(user.json["ssh_key_id"] as? String == keyID && user.json["cert_type"] as? String == "user")
                #expect(user.json["principals"] as? [String] == ["alice", "admin"])
                let userListing = try Self.sshKeygenList(user.json["certificate"] as? String ?? "")
                #expect(userListing.contains("ssh-ed25519-cert-v01@openssh.com user certificate"), "\(userListing)")
                #expect(userListing.contains("Key ID: \"alice@homelab\""))
                #expect(userListing.contains("Serial: \(user.json["serial"] as? String ?? "?")"))
                #expect(userListing.contains("Signing CA: ED25519 \(try Self.sshFingerprint(fake.sshCAPublicKey))"), "\(userListing)")
                let principals = userListing.components(separatedBy: "Principals:").last?.components(separatedBy: "Critical").first ?? ""
                #expect(principals.split(whereSeparator: \.isWhitespace) == ["alice", "admin"])
                let hours = ((user.json["valid_before"] as? String).flatMap(ISO8601DateFormatter().date)?.timeIntervalSinceNow ?? 0) / 3600
                #expect((15.5...16.1).contains(hours), "default user validity \(hours)h")

                // SSH host certificate for a pasted public key.
                let hostKey = try await send(.POST, "/api/v1/ssh-keys", operatorToken, ["name": "nas-host", "type": "ecdsa-p256"])
                let host = try await send(.POST, "\(authorities)/\(id)/ssh", operatorToken, [
                    "public_key": hostKey.json["public_key"] as? String ?? "", "cert_type": "host", "key_id": "nas",
                    "principals": ["nas.homelab.test"], "valid_for_hours": 48])
                #expect(host.status == .created, "\(host.body)")
                #expect(host.json["ssh_key_id"] == nil || host.json["ssh_key_id"] is NSNull)
                #expect(try Self.sshKeygenList(host.json["certificate"] as? String ?? "").contains("host certificate"))
                for (body, field) in [(["cert_type": "robot", "ssh_key_id": keyID, "key_id": "x", "principals": ["x"]], "cert_type"),
                                      (["cert_type": "user", "key_id": "x", "principals": ["x"]], "ssh_key_id"),
                                      (["cert_type": "user", "ssh_key_id": keyID, "key_id": "x", "principals": [String]()], "principals"),
                                      (["cert_type": "user", "public_key": "ssh-ed25519 nonsense", "key_id": "x", "principals": ["x"]], "public_key")]
                    as [([String: Any], String)] {
                    let refused = try await send(.POST, "\(authorities)/\(id)/ssh", operatorToken, body)
                    #expect(refused.status == .unprocessableEntity && refused.errorField == field, "\(field): \(refused.body)")
                }
                #expect(try await send(.POST, "\(authorities)/\(id)/ssh", viewer, ["cert_type": "user"]).status == .forbidden)
                let list = try await send(.GET, "/api/v1/ssh-certificates?per_page=1", viewer)
                #expect(list.json["total"] as? Int == 2 && (list.json["items"] as? [Any])?.count == 1, "\(list.body)")
                #expect(((list.json["items"] as? [[String: Any]])?.first?["cert_type"] as? String) == "host")

                // The fake checks aud against its one DNS name (127.0.0.1), as step-ca does against
                // its dnsNames: the same CA reached as "localhost" gets the token refused.
                let port = fake.url.split(separator: ":").last.map(String.init) ?? ""
                let other = try await send(.POST, authorities, admin, [
                    "name": "lab-ca-localhost", "url": "https://localhost:\(port)", "root_fingerprint": fake.rootFingerprint,
                    "provisioner_name": fake.provisionerName, "provisioner_jwk": fake.privateJWK])
                #expect(other.status == .created, "\(other.body)")
                let refused = try await send(.POST, "\(authorities)/\(other.json["id"] as? String ?? "")/x509", operatorToken, [
                    "names": ["web.homelab.test"]])
                #expect(refused.status == .badGateway && refused.errorMessage?.contains("aud") == true, "\(refused.body)")

                // No secret in any response: not the password, the JWE, the private JWK or a key.
                seen.append(try await send(.GET, "/api/v1/audit?per_page=200", admin))
                let d = try #require((try JSONSerialization.jsonObject(with: Data(fake.privateJWK.utf8)) as? [String: Any])?["d"] as? String)
                for response in seen {
                    for secret in [Self.password, fake.encryptedKey, d, "PRIVATE KEY"] {
                        #expect(!response.body.contains(secret), "a secret leaked into a response")
                    }
                }
            }
        }
    }

    /// `openssl verify` of the leaf against the fake's root via the returned chain, and its SANs.
    static func openssl(_ fake: StepCAFake, leaf: String, chain: String) throws -> (verify: String, sans: String) {
        let folder = fake.directory.appending(path: "check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try leaf.write(to: folder.appending(path: "leaf.pem"), atomically: true, encoding: .utf8)
        try chain.write(to: folder.appending(path: "chain.pem"), atomically: true, encoding: .utf8)
        let root = fake.directory.appending(path: "root.pem").path
        let verify = try run(["openssl", "verify", "-CAfile", root, "-untrusted", folder.appending(path: "chain.pem").path,
                              folder.appending(path: "leaf.pem").path])
        let sans = try run(["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", folder.appending(path: "leaf.pem").path])
        return (verify.trimmingCharacters(in: .whitespacesAndNewlines), sans)
    }

    static func sshKeygenList(_ line: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appending(path: "unity-stepca-\(UUID().uuidString)-cert.pub")
        try line.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try run(["ssh-keygen", "-L", "-f", file.path])
    }

    static func sshFingerprint(_ publicKeyLine: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appending(path: "unity-stepca-\(UUID().uuidString).pub")
        try publicKeyLine.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try run(["ssh-keygen", "-l", "-f", file.path]).split(separator: " ").dropFirst().first.map(String.init) ?? ""
    }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}
