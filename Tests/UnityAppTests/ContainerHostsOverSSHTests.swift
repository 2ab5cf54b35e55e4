import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnitySSH
import UnitySSHTestSupport
import UnityTestSupport
@testable import UnityApp

/// The first acceptance line, end to end: a monitored server (a real sshd whose sessions point
/// `docker`/`podman` at the test's engine) becomes a container host through the API; Unity detects the
/// engine over `dial-stdio` on the server's pinned SSH connection and lists its containers.
@Suite(.enabled(if: SSHD.enabled), .serialized, .timeLimit(.minutes(3)))
struct ContainerHostsOverSSHTests {
    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func enableContainersOnAServer(kind: ContainerEngineKind) async throws {
        let engine = kind == .docker ? try TestEngine.docker() : try TestEngine.podman()
        let name = "ssh-inv-\(UUID().uuidString.prefix(6).lowercased())"
        try engine.cli(["run", "-d", "--name", name, "--network", "host", TestEngine.image, "sleep", "300"])
        defer { _ = try? engine.cli(["rm", "-f", name]) }
        // Docker is not installed for Podman's test server (PATH without it), so detection must fall back.
        let environment = kind == .docker ? [] : ["SetEnv PATH=\(try Self.pathWithoutDocker())"]
        let key = try TestKeys.ed25519()
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)], extraConfig: environment) { sshd in
            try await withUnityApp { app in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin,
                                                               json: ["name": "k", "private_key": key.text]).json["id"] as? String)
                let server = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                    "name": "box-\(kind)", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID,
                ]).json["id"] as? String)
                // First contact pins the host key; streams never trust on first use.
                let tested = try await client.send(.POST, "/api/v1/servers/\(server)/test", token: admin)
                #expect(tested.status == .ok, "\(tested.body)")

                let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                 json: ["server_id": server, "socket_path": engine.socketPath])
                #expect(host.status == .created, "\(host.body)")
                #expect(host.json["engine"] as? String == kind.rawValue, "\(host.body)")
                #expect(host.json["api_version"] as? String == "1.41", "\(host.body)")
                #expect(host.json["status"] as? String == "up", "\(host.body)")
                let hostID = try #require(host.json["id"] as? String)
                let detail = try await client.send(.GET, "/api/v1/container-hosts/\(hostID)", token: admin)
                #expect(detail.json["engine_version"] as? String != nil, "\(detail.body)")

                let listed = try await client.send(.GET, "/api/v1/containers?host_id=\(hostID)", token: admin)
                let names = listed.jsonArray.compactMap { $0["name"] as? String }
                #expect(names.contains(name), "\(listed.body.prefix(400))")

                // Warm: later discoveries reuse the kept dial-stdio channel, so sshd starts no new session.
                func sessions() -> Int { sshd.log.components(separatedBy: "Starting session: command").count - 1 }
                let before = sessions()
                for _ in 0..<3 {
                    #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
                }
                #expect(sessions() == before, "discoveries opened \(sessions() - before) new exec channels")
                #expect(app.containerEngineCache.count == 1)
                // Closed, the next discovery dials again.
                await app.containerEngineCache.closeAll()
                #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
                #expect(sessions() > before)
            }
        }
    }

    /// PATH directories that hold podman but not docker.
    static func pathWithoutDocker() throws -> String {
        ["/usr/local/sbin", "/usr/sbin", "/sbin", "/bin"].filter { !FileManager.default.fileExists(atPath: $0 + "/docker") }.joined(separator: ":")
            + ":" + (try Self.podmanOnlyDirectory())
    }

    /// A folder with only a `podman` link: /usr/bin holds docker too.
    static func podmanOnlyDirectory() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unity-podman-only").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: folder + "/podman") {
            try FileManager.default.createSymbolicLink(atPath: folder + "/podman", withDestinationPath: "/usr/bin/podman")
        }
        return folder
    }
}
