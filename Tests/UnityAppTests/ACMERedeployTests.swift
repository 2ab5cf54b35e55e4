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
    /// Three places on two servers: `web` serves it twice (two services, redeployed one after the
    /// other), `edge` once (redeployed alongside `web`).
    @Test func renewalIsDeployedWhereTheCertificateWasDeployed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unity-redeploy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let services = ["web-a", "web-b", "edge"]
        defer {
            for name in services {
                if let pid = (try? String(contentsOfFile: "\(directory)/\(name).pid", encoding: .utf8)).flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                    kill(pid, SIGKILL)
                }
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
        let key = try SSHKeygen.newKey(type: "ed25519")
        let web = try TestSSHServer(authorizedKey: key.publicLine), edge = try TestSSHServer(authorizedKey: key.publicLine)
        try await web.start()
        defer { web.stop() }
        try await edge.start()
        defer { edge.stop() }
        let ports = try TestPorts.take(services.count)
        let hosts = [web, web, edge]
        // A "service": restarted on every reload with whatever files are in place now.
        func reload(_ index: Int) -> String {
            let name = services[index], pidFile = "\(directory)/\(name).pid"
            return "[ -f \(pidFile) ] && kill $(cat \(pidFile)); sleep 0.3; nohup /usr/bin/openssl s_server -accept \(hosts[index].address):\(ports[index]) "
                + "-cert \(directory)/\(name).crt -key \(directory)/\(name).key -www -quiet >/dev/null 2>&1 </dev/null & echo $! > \(pidFile)"
        }

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
                let first = try ACMEAPITests.serial(try await ACMEAPITests.certificate(client, certificateID, token: admin))

                let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
                var serverIDs: [String] = []
                for (name, sshd) in [("web", web), ("edge", edge)] {
                    let id = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                        "name": name, "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID]).json["id"] as? String)
                    _ = try await client.send(.POST, "/api/v1/servers/\(id)/test", token: admin)
                    serverIDs.append(id)
                }
                for index in services.indices {
                    let deploy = try await client.send(.POST, "/api/v1/certificates/\(certificateID)/deploy", token: admin, json: [
                        "server_id": serverIDs[index == 2 ? 1 : 0], "certificate_path": "\(directory)/\(services[index]).crt",
                        "key_path": "\(directory)/\(services[index]).key", "reload_command": reload(index), "verify_port": ports[index]])
                    #expect(deploy.json["outcome"] as? String == "deployed" && deploy.json["served_serial"] as? String == first, "\(deploy.body)")
                }

                let renew = try await client.send(.POST, "/api/v1/acme/certificates/\(orderID)/renew", token: admin)
                #expect(renew.status == .accepted, "\(renew.body)")
                let attempt = try await ACMEAPITests.finished(client, orderID, token: admin)["attempt"] as? [String: Any] ?? [:]
                #expect(attempt["outcome"] as? String == "succeeded" && attempt["deployments"] as? String == "3 deployed, 0 failed", "\(attempt)")
                let second = try ACMEAPITests.serial(try await ACMEAPITests.certificate(client, certificateID, token: admin))
                #expect(second != first)
                let deployments = try await client.send(.GET, "/api/v1/certificates/\(certificateID)/deployments", token: admin).jsonArray
                #expect(deployments.count == 3)
                #expect(deployments.allSatisfy { $0["served_serial"] as? String == second && $0["verification"] as? String == "serving" }, "\(deployments)")
                // What each service presents now, seen from outside Unity's own bookkeeping.
                for index in services.indices {
                    let served = try await ServedCertificateProbe().probe(host: hosts[index].address, port: ports[index], serverName: "web.homelab.test")
                    #expect(served.leaf?.serialHex == second, "\(services[index])")
                }
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
                                         "dns_provider": ["type": "exec", "settings": ["hook": "true"]]]).errorField == "webroot")
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
