import Foundation
import Testing
import UnityACME
import UnityCertificates
import UnityTestSupport
import Vapor
@testable import UnityApp

/// A renewal that is not deployed is a renewal nobody sees: after an ACME renewal, every
/// remembered deployment gets the new certificate, its service is reloaded, and the served serial
/// is checked. Real Pebble, a real sshd, and a real `openssl s_server` restarted by the reload
/// command over SSH.
@Suite("ACME renewal redeploys", .enabled(if: PebbleServer.shouldRun && TestSSHServer.enabled), .timeLimit(.minutes(3)))
struct ACMERedeployTests {
    @Test func renewalIsDeployedWhereTheCertificateWasDeployed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unity-redeploy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pidFile = "\(directory)/s_server.pid"
        defer {
            if let pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                kill(pid, SIGKILL)
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
        let key = try SSHKeygen.newKey(type: "ed25519")
        let sshd = try TestSSHServer(authorizedKey: key.publicLine)
        try await sshd.start()
        defer { sshd.stop() }
        let tlsPort = try TestPorts.take(1)[0]
        // The "service": restarted on every reload with whatever files are in place now.
        let reload = "[ -f \(pidFile) ] && kill $(cat \(pidFile)); sleep 0.3; nohup /usr/bin/openssl s_server -accept \(sshd.address):\(tlsPort) "
            + "-cert \(directory)/web.crt -key \(directory)/web.key -www -quiet >/dev/null 2>&1 </dev/null & echo $! > \(pidFile)"

        try await withUnityApp { app in
            try await PebbleServer.with { pebble in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let accountID = try await ACMEAPITests.account(client, pebble, token: admin)
                let issued = try await client.send(.POST, "/api/v1/acme/certificates", token: admin, json: [
                    "account_id": accountID, "names": ["web.homelab.test"], "challenge": "http-01",
                    "http_host": "127.0.0.1", "http_port": pebble.httpChallengePort,
                ])
                let orderID = try #require(issued.json["id"] as? String, "\(issued.body)")
                let certificateID = try #require(try await ACMEAPITests.finished(client, orderID, token: admin)["certificate_id"] as? String)

                let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
                let serverID = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                    "name": "web", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID]).json["id"] as? String)
                _ = try await client.send(.POST, "/api/v1/servers/\(serverID)/test", token: admin)
                let deploy = try await client.send(.POST, "/api/v1/certificates/\(certificateID)/deploy", token: admin, json: [
                    "server_id": serverID, "certificate_path": "\(directory)/web.crt", "key_path": "\(directory)/web.key",
                    "reload_command": reload, "verify_port": tlsPort])
                #expect(deploy.json["outcome"] as? String == "deployed", "\(deploy.body)")
                let first = try ACMEAPITests.serial(try await ACMEAPITests.certificate(client, certificateID, token: admin))
                #expect(deploy.json["served_serial"] as? String == first)

                let renew = try await client.send(.POST, "/api/v1/acme/certificates/\(orderID)/renew", token: admin)
                #expect(renew.status == .accepted, "\(renew.body)")
                let attempt = try await ACMEAPITests.finished(client, orderID, token: admin)["attempt"] as? [String: Any] ?? [:]
                #expect(attempt["outcome"] as? String == "succeeded" && attempt["deployments"] as? String == "1 deployed, 0 failed", "\(attempt)")
                let second = try ACMEAPITests.serial(try await ACMEAPITests.certificate(client, certificateID, token: admin))
                #expect(second != first)
                let deployments = try await client.send(.GET, "/api/v1/certificates/\(certificateID)/deployments", token: admin).jsonArray
                #expect(deployments.first?["served_serial"] as? String == second && deployments.first?["verification"] as? String == "serving", "\(deployments)")
                // What the service presents now, seen from outside Unity's own bookkeeping.
                let served = try await ServedCertificateProbe().probe(host: sshd.address, port: tlsPort, serverName: "web.homelab.test")
                #expect(served.leaf?.serialHex == second)
            }
        }
    }

    /// HTTP-01 by a web server Unity does not run: the token is written under the server's webroot
    /// over SSH, Pebble fetches it from that web server (python's http.server on the challenge
    /// port), and the file is gone afterwards.
    @Test func http01ThroughAWebrootOverSSH() async throws {
        let webroot = FileManager.default.temporaryDirectory.appendingPathComponent("unity-webroot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: webroot, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: webroot) }
        let key = try SSHKeygen.newKey(type: "ed25519")
        let sshd = try TestSSHServer(authorizedKey: key.publicLine)
        try await sshd.start()
        defer { sshd.stop() }
        try await withUnityApp { app in
            try await PebbleServer.with { pebble in
                let web = TestChildProcess("/usr/bin/python3", ["-m", "http.server", String(pebble.httpChallengePort), "--bind", "127.0.0.1",
                                                                "--directory", webroot])
                try web.start()
                defer { kill(web.pid, SIGKILL) }
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let accountID = try await ACMEAPITests.account(client, pebble, token: admin)
                let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
                let serverID = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                    "name": "web", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID]).json["id"] as? String)
                _ = try await client.send(.POST, "/api/v1/servers/\(serverID)/test", token: admin)

                func order(_ extra: [String: Any]) async throws -> TestResponse {
                    try await client.send(.POST, "/api/v1/acme/certificates", token: admin,
                                          json: ["account_id": accountID, "names": ["www.homelab.test"]].merging(extra) { $1 })
                }
                #expect(try await order(["challenge": "http-01", "webroot": ["server_id": UUID().uuidString, "path": webroot]]).errorField == "webroot.server_id")
                #expect(try await order(["challenge": "http-01", "webroot": ["server_id": serverID, "path": "var/www"]]).errorField == "webroot.path")
                #expect(try await order(["challenge": "dns-01", "webroot": ["server_id": serverID, "path": webroot],
                                         "dns_provider": ["type": "exec", "settings": ["program": "/bin/true"]]]).errorField == "webroot")
                let issued = try await order(["challenge": "http-01", "webroot": ["server_id": serverID, "path": webroot]])
                #expect(issued.status == .accepted, "\(issued.body)")
                let done = try await ACMEAPITests.finished(client, try #require(issued.json["id"] as? String), token: admin)
                #expect(done["status"] as? String == "valid" && done["webroot_path"] as? String == webroot, "\(done)")
                let left = (try? FileManager.default.contentsOfDirectory(atPath: webroot + "/.well-known/acme-challenge")) ?? []
                #expect(left.isEmpty, "challenge files are removed: \(left)")
            }
        }
    }
}
