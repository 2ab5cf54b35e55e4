import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnitySSH
import UnitySSHTestSupport
import UnityTestSupport
@testable import UnityApp

/// The one-click TLS set-up against a real sshd (root, files written into a temp folder of this
/// machine) and a dockerd the test then starts the way README tells a user to, on those files.
@Suite(.enabled(if: SSHD.enabled), .serialized, .timeLimit(.minutes(4)))
struct ContainerHostTLSSetupTests {
    /// A monitored server on the test sshd, enabled as a container host over SSH (the shared dockerd).
    private static func withSSHContainerHost(_ body: (SSHD, TestClient, String, String) async throws -> Void) async throws {
        let docker = try TestEngine.docker()
        let key = try TestKeys.ed25519()
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)]) { sshd in
            try await withUnityApp { app in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin,
                                                               json: ["name": "k", "private_key": key.text]).json["id"] as? String)
                let server = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                    "name": "docker-box", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID,
                ]).json["id"] as? String)
                #expect(try await client.send(.POST, "/api/v1/servers/\(server)/test", token: admin).status == .ok)
                let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                 json: ["server_id": server, "socket_path": docker.socketPath])
                #expect(host.json["status"] as? String == "up", "\(host.body)")
                try await body(sshd, client, admin, try #require(host.json["id"] as? String))
            }
        }
    }

    @Test func oneClickIssuesDeploysAndSwitchesToTLSOnceDockerdListens() async throws {
        let directory = try TestCommand.temporaryDirectory("unity-tls-setup") + "/docker tls"
        let port = try TestEngine.freeTCPPort()
        try await Self.withSSHContainerHost { sshd, client, admin, hostID in
            let setup = "/api/v1/container-hosts/\(hostID)/tls/setup"
            #expect(try await client.send(.POST, setup, token: admin, json: ["directory": "etc/docker"]).errorField == "directory")
            #expect(try await client.send(.POST, setup, token: admin, json: ["port": 0]).errorField == "port")

            let first = try await client.send(.POST, setup, token: admin, json: ["directory": directory, "port": port])
            #expect(first.status == .ok, "\(first.body)")
            #expect(!first.body.contains("PRIVATE KEY"))
            // dockerd does not listen yet: the host stays on SSH, and the answer says what to configure.
            #expect(first.json["daemon_listening"] as? Bool == false, "\(first.body)")
            #expect((first.json["host"] as? [String: Any])?["transport"] as? String == "ssh")
            #expect((first.json["daemon_json"] as? String)?.contains("\(directory)/server-key.pem") == true)
            #expect((first.json["dockerd_flags"] as? String)?.contains("--tlsverify") == true)
            let keyMode = try FileManager.default.attributesOfItem(atPath: "\(directory)/server-key.pem")[.posixPermissions] as? Int
            #expect(keyMode == 0o600)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            #expect(leftovers == ["ca.pem", "server-cert.pem", "server-key.pem"], "\(leftovers)")
            // The daemon's certificate names the server's address; the CA is the internal CA's root.
            let serverCertificateID = try #require(first.json["server_certificate_id"] as? String)
            let daemonCertificate = try await client.send(.GET, "/api/v1/certificates/\(serverCertificateID)", token: admin)
            #expect((daemonCertificate.json["sans"] as? [String])?.contains(sshd.address) == true, "\(daemonCertificate.body)")
            let root = try await client.send(.GET, "/api/v1/ca", token: admin).json["root_pem"] as? String
            #expect(try String(contentsOfFile: "\(directory)/ca.pem", encoding: .utf8) == root)

            // The user's step: dockerd started on the deployed files (daemon.json + --tlsverify).
            let daemon = try TestEngine.privateDockerWithDeployedTLS(directory: directory, address: sshd.address, port: port)
            defer { daemon.kill() }
            let caOnly = try TLSSocketTransport(host: sshd.address, port: port, tls: ContainerTLSConfiguration(
                caPEM: try #require(root), clientCertificatePEM: nil, clientKeyPEM: nil))
            await #expect(throws: ContainerEngineError.self, "--tlsverify from the flag: no client certificate, no access") {
                _ = try await DockerAPIEngine(transport: caOnly).facts()
            }

            let second = try await client.send(.POST, setup, token: admin, json: ["directory": directory, "port": port])
            #expect(second.json["daemon_listening"] as? Bool == true, "\(second.body)")
            let host = try #require(second.json["host"] as? [String: Any])
            #expect(host["transport"] as? String == "tls")
            #expect(host["endpoint"] as? String == "tcp://\(sshd.address):\(port)")
            #expect(host["status"] as? String == "up", "\(host)")
            let detail = try await client.send(.GET, "/api/v1/container-hosts/\(hostID)", token: admin)
            #expect(detail.json["transport"] as? String == "tls" && detail.json["engine"] as? String == "docker", "\(detail.body)")
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
        }
    }

    @Test func aFailedDeploymentPutsTheServersFilesBack() async throws {
        let directory = try TestCommand.temporaryDirectory("unity-tls-restore")
        try "old ca\n".write(toFile: "\(directory)/ca.pem", atomically: true, encoding: .utf8)
        try "old cert\n".write(toFile: "\(directory)/server-cert.pem", atomically: true, encoding: .utf8)
        // A directory where the key should go: the last rename fails after the first two happened.
        try FileManager.default.createDirectory(atPath: "\(directory)/server-key.pem/in-the-way", withIntermediateDirectories: true)
        try await Self.withSSHContainerHost { _, client, admin, hostID in
            let failed = try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/tls/setup", token: admin, json: ["directory": directory])
            #expect(failed.status == .badGateway, "\(failed.body)")
            #expect(failed.errorCode == "container_tls_deploy_failed")
            #expect(failed.errorMessage?.contains("server-key.pem") == true, "\(failed.body)")
            #expect(try String(contentsOfFile: "\(directory)/ca.pem", encoding: .utf8) == "old ca\n")
            #expect(try String(contentsOfFile: "\(directory)/server-cert.pem", encoding: .utf8) == "old cert\n")
            let entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            #expect(entries == ["ca.pem", "server-cert.pem", "server-key.pem"], "no staged or kept copies left: \(entries)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory)/server-key.pem") == ["in-the-way"])
            // Nothing recorded: no certificates in the inventory, the host still on SSH.
            #expect(try await client.send(.GET, "/api/v1/certificates", token: admin).json["total"] as? Int == 0)
            #expect(try await client.send(.GET, "/api/v1/container-hosts/\(hostID)", token: admin).json["transport"] as? String == "ssh")
        }
    }
}
