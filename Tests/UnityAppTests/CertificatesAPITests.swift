import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The certificate inventory through the API with real openssl: import and key matching, the
/// internal CA (verified by `openssl verify`), expiry alerts, discovery of a served certificate,
/// and a deploy whose reload changes nothing reported as "renewed but not served".
@Suite struct CertificatesAPITests {
    static func openssl(_ arguments: [String], in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func selfSigned(days: Int, name: String, in directory: String) throws -> (cert: String, key: String) {
        _ = try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(name).key", "-out", "\(name).crt",
                         "-days", String(days), "-subj", "/CN=\(name).home.arpa", "-addext", "subjectAltName=DNS:\(name).home.arpa"], in: directory)
        return (try String(contentsOfFile: "\(directory)/\(name).crt", encoding: .utf8), try String(contentsOfFile: "\(directory)/\(name).key", encoding: .utf8))
    }

    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unity-certs-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func importIssueAndExpiryAlerts() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let soon = try Self.selfSigned(days: 10, name: "soon", in: directory)
        let other = try Self.selfSigned(days: 200, name: "other", in: directory)
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin).token
            let mismatch = try await client.send(.POST, "/api/v1/certificates", token: admin, json: ["certificate_pem": soon.cert, "private_key_pem": other.key])
            #expect(mismatch.status == .unprocessableEntity && mismatch.errorField == "private_key_pem", "\(mismatch.body)")
            #expect(mismatch.errorMessage?.contains("does not match") == true)
            #expect(try await client.send(.POST, "/api/v1/certificates", token: admin, json: ["certificate_pem": "garbage"]).errorField == "certificate_pem")
            #expect(try await client.send(.POST, "/api/v1/certificates", token: viewer, json: ["certificate_pem": soon.cert]).status == .forbidden)

            let imported = try await client.send(.POST, "/api/v1/certificates", token: admin, json: ["certificate_pem": soon.cert, "private_key_pem": soon.key])
            #expect(imported.status == .created, "\(imported.body)")
            #expect(imported.json["sans"] as? [String] == ["soon.home.arpa"] && imported.json["state"] as? String == "expiring")
            let serial = try Self.openssl(["x509", "-noout", "-serial", "-in", "soon.crt"], in: directory)
            #expect(serial.lowercased().contains(imported.json["serial"] as? String ?? "-"))
            #expect(!imported.body.contains("PRIVATE KEY") && imported.json["has_private_key"] as? Bool == true)
            // 10 days left: the 14-day stage fires (and only it).
            let alerts = try await client.send(.GET, "/api/v1/alerts?status=firing&source=credentials", token: viewer)
            #expect((alerts.json["items"] as? [[String: Any]])?.map { $0["rule"] as? String } == ["Certificate expires within 14 days"], "\(alerts.body)")
            #expect(try await client.send(.GET, "/api/v1/certificates?state=expiring", token: viewer).json["total"] as? Int == 1)

            // The internal CA: created on first issue, its leaf verifies with openssl.
            let issued = try await client.send(.POST, "/api/v1/certificates/issue", token: admin,
                                               json: ["dns_names": ["nas.home.arpa"], "ip_addresses": ["192.168.1.10"], "validity_days": 90])
            #expect(issued.status == .created && issued.json["source"] as? String == "internal_ca", "\(issued.body)")
            let root = try await client.send(.GET, "/api/v1/ca/root.pem", token: viewer)
            try root.body.write(toFile: "\(directory)/root.pem", atomically: true, encoding: .utf8)
            try (issued.json["certificate_pem"] as? String ?? "").write(toFile: "\(directory)/leaf.pem", atomically: true, encoding: .utf8)
            #expect(try Self.openssl(["verify", "-CAfile", "root.pem", "leaf.pem"], in: directory).contains("leaf.pem: OK"))
            #expect(try await client.send(.POST, "/api/v1/ca", token: admin).status == .conflict)
            let id = try #require(issued.json["id"] as? String)
            #expect(try await client.send(.POST, "/api/v1/certificates/\(id)/reveal-key", token: viewer).status == .forbidden)
            let key = try await client.send(.POST, "/api/v1/certificates/\(id)/reveal-key", token: admin)
            #expect((key.json["private_key_pem"] as? String)?.contains("PRIVATE KEY") == true)
            let scrape = try await client.send(.GET, "/metrics", token: admin)
            #expect(scrape.body.contains("unity_certificate_expiry_timestamp_seconds{name=\"nas.home.arpa\""))
            #expect(try CollectionTests.promtoolAccepts(scrape.body))
        }
    }

    /// A real `openssl s_server` on the server's address serves the old certificate; a deploy whose
    /// reload does nothing must come back as "renewed but not served" and raise the alert, and
    /// discovery finds the served certificate and the deployed file.
    @Test(.enabled(if: TestSSHServer.enabled)) func deployWithoutEffectIsAFailureAndDiscoveryFindsTheServedCertificate() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let old = try Self.selfSigned(days: 200, name: "web", in: directory)
        let key = try SSHKeygen.newKey(type: "ed25519")
        let sshd = try TestSSHServer(authorizedKey: key.publicLine)
        try await sshd.start()
        defer { sshd.stop() }
        let tlsPort = try TestPorts.take(1)[0]
        _ = old
        func serve(_ name: String) throws -> pid_t {
            try TestSSHServer.spawn("/usr/bin/openssl", ["s_server", "-accept", "\(sshd.address):\(tlsPort)", "-cert", "\(directory)/\(name).crt",
                                                         "-key", "\(directory)/\(name).key", "-www", "-quiet"])
        }
        func stop(_ pid: pid_t) { kill(pid, SIGKILL); var status: Int32 = 0; waitpid(pid, &status, 0) }
        var tls = try serve("web")
        defer { stop(tls) }
        try await Task.sleep(for: .milliseconds(500))
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
            let serverID = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                "name": "web", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID]).json["id"] as? String)
            _ = try await client.send(.POST, "/api/v1/servers/\(serverID)/test", token: admin)
            let issued = try await client.send(.POST, "/api/v1/certificates/issue", token: admin, json: ["dns_names": ["web.home.arpa"]])
            let certID = try #require(issued.json["id"] as? String)
            let deploy = try await client.send(.POST, "/api/v1/certificates/\(certID)/deploy", token: admin, json: [
                "server_id": serverID, "certificate_path": "\(directory)/new.crt", "key_path": "\(directory)/new.key",
                "reload_command": "true", "verify_port": tlsPort])
            #expect(deploy.json["ok"] as? Bool == false && deploy.json["outcome"] as? String == "renewed_but_not_served", "\(deploy.body)")
            #expect(FileManager.default.fileExists(atPath: "\(directory)/new.key"))
            let alerts = try await client.send(.GET, "/api/v1/alerts?status=firing&source=credentials", token: admin)
            #expect(alerts.body.contains("Certificate renewed but not served"), "\(alerts.body)")

            let discovered = try await client.send(.POST, "/api/v1/servers/\(serverID)/certificates/discover", token: admin,
                                                   json: ["ports": [tlsPort], "paths": [directory]])
            let found = try #require(discovered.json["found"] as? [[String: Any]], "\(discovered.body)")
            #expect(found.contains { ($0["sans"] as? [String]) == ["web.home.arpa"] && $0["source"] as? String == "discovered" })
            let deployed = try await client.send(.GET, "/api/v1/certificates/\(certID)", token: admin)
            #expect((deployed.json["seen_at"] as? [String])?.contains("web \(directory)/new.crt") == true, "\(deployed.body)")

            // The deployment is remembered with what it found...
            let remembered = try await client.send(.GET, "/api/v1/certificates/\(certID)/deployments", token: admin).jsonArray
            #expect(remembered.count == 1 && remembered.first?["verification"] as? String == "not_serving", "\(remembered)")
            let deploymentID = try #require(remembered.first?["id"] as? String)
            // ...and once the service really loads the new files, the daily check sees it served
            // and the "not served" alert resolves.
            stop(tls)
            tls = try serve("new")
            try await Task.sleep(for: .milliseconds(500))
            let check = try await client.send(.POST, "/api/v1/tasks/served-certificates/run", token: admin)
            #expect(check.status == .ok, "\(check.body)")
            #expect(check.body.contains("1 serving, 0 not serving"), "\(check.body)")
            let verified = try await client.send(.GET, "/api/v1/certificates/\(certID)/deployments", token: admin).jsonArray
            #expect(verified.first?["verification"] as? String == "serving", "\(verified)")
            let resolved = try await client.send(.GET, "/api/v1/alerts?status=firing&source=credentials", token: admin)
            #expect(!resolved.body.contains("Certificate renewed but not served"), "\(resolved.body)")
            // Deploying again to the remembered place works now; forgetting it stops renewals going there.
            let again = try await client.send(.POST, "/api/v1/certificates/\(certID)/deployments/\(deploymentID)/deploy", token: admin)
            #expect(again.json["outcome"] as? String == "deployed" && again.json["deployment_id"] as? String == deploymentID, "\(again.body)")
            let viewer = try await client.user(.viewer, adminToken: admin).token
            #expect(try await client.send(.DELETE, "/api/v1/certificates/\(certID)/deployments/\(deploymentID)", token: viewer).status == .forbidden)
            #expect(try await client.send(.DELETE, "/api/v1/certificates/\(certID)/deployments/\(deploymentID)", token: admin).status == .noContent)
            #expect(try await client.send(.GET, "/api/v1/certificates/\(certID)/deployments", token: admin).jsonArray.isEmpty)
            let metrics = try await client.send(.GET, "/metrics", token: admin).body
            #expect(metrics.contains(#"unity_certificate_deployments_total{outcome="renewed_but_not_served"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"unity_certificate_served_checks_total{verdict="serving"} 1"#))
        }
    }
}
