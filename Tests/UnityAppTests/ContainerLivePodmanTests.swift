import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnitySSH
import UnitySSHTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The live routes on the suite's Podman service (its Docker-compatible API on its own socket):
/// Podman's inspect must not leak environment values either (it has more places than Docker's).
/// Once over the socket, once over a real sshd.
@Suite(.timeLimit(.minutes(3)))
struct ContainerLivePodmanTests {
    static let canary = "unity-canary-podman-env-41b7"

    /// Starts the test's container on the suite's Podman service; removed by the caller.
    static func startContainer(_ engine: TestEngine) throws -> String {
        let name = "live-pod-\(UUID().uuidString.prefix(6).lowercased())"
        try engine.cli(["run", "-d", "--name", name, "--network", "host", "-e", "SECRET_TOKEN=\(Self.canary)", TestEngine.image,
                        "sh", "-c", "echo pod-out; sleep 0.2; echo pod-err >&2; exec sleep 600"])
        return name
    }

    @Test func logsStatsTopAndMaskedInspectOnPodman() async throws {
        let engine = try TestEngine.podman()
        let name = try Self.startContainer(engine)
        defer { _ = try? engine.cli(["rm", "-f", name]) }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["socket_path": engine.socketPath, "name": "pod"])
            let hostID = try #require(host.json["id"] as? String, "\(host.body)")
            try await Self.checkLiveRoutes(client, admin: admin, hostID: hostID, name: name)
        }
    }

    /// The same routes with Podman reached as a user's server is: `podman system dial-stdio` over a
    /// real sshd (docker is not on that server's PATH), on the server's pinned connection.
    @Test(.enabled(if: SSHD.enabled)) func logsStatsTopAndMaskedInspectOnPodmanOverSSH() async throws {
        let engine = try TestEngine.podman()
        let name = try Self.startContainer(engine)
        defer { _ = try? engine.cli(["rm", "-f", name]) }
        let key = try TestKeys.ed25519()
        let environment = ["SetEnv PATH=\(try ContainerHostsOverSSHTests.pathWithoutDocker())"]
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)], extraConfig: environment) { sshd in
            try await withUnityApp { app in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let hostID = try await ContainerLiveAPITests.containerHost(client, admin: admin, sshd: sshd, key: key, engine: engine)
                let detail = try await client.send(.GET, "/api/v1/container-hosts/\(hostID)", token: admin)
                #expect(detail.json["engine"] as? String == "podman" && detail.json["transport"] as? String == "ssh", "\(detail.body)")
                try await Self.checkLiveRoutes(client, admin: admin, hostID: hostID, name: name)
                let id = try await ContainerLiveAPITests.containerID(client, admin: admin, host: hostID, name: name)
                try await withListener(app) { port in
                    // A client that left is noticed at the next write: heartbeats often, as ContainerLiveAPITests does.
                    app.containerLiveStreams.heartbeat = .milliseconds(300)
                    // Follow as NDJSON and as SSE, and streamed stats: long-lived dial-stdio channels to Podman.
                    let follow = try StreamingCurl.start("http://127.0.0.1:\(port)/api/v1/containers/\(id)/logs?follow=true&tail=1",
                                                         headers: ["Authorization: Bearer \(admin)"])
                    defer { follow.stop() }
                    #expect(try await follow.waitFor("pod-err"), "\(follow.text)")
                    try engine.cli(["exec", name, "sh", "-c", "echo late-pod-line > /proc/1/fd/1"])
                    #expect(try await follow.waitFor("late-pod-line"), "\(follow.text)")
                    follow.stop()
                    let events = try StreamingCurl.start("http://127.0.0.1:\(port)/api/v1/containers/\(id)/logs?follow=true&tail=1",
                                                         headers: ["Authorization: Bearer \(admin)", "Accept: text/event-stream"])
                    defer { events.stop() }
                    #expect(try await events.waitFor("event: line"), "\(events.text)")
                    events.stop()
                    let stats = try StreamingCurl.start("http://127.0.0.1:\(port)/api/v1/containers/\(id)/stats?stream=true",
                                                        headers: ["Authorization: Bearer \(admin)"])
                    defer { stats.stop() }
                    #expect(try await stats.waitFor("memory_used_bytes", seconds: 20), "\(stats.text)")
                    stats.stop()
                    #expect(try await ContainerLiveAPITests.openStreams(app, become: 0))
                }
            }
        }
    }

    static func checkLiveRoutes(_ client: TestClient, admin: String, hostID: String, name: String) async throws {
        let rows = try await client.send(.GET, "/api/v1/containers?host_id=\(hostID)", token: admin).jsonArray
        let base = "/api/v1/containers/\(try #require(rows.first { $0["name"] as? String == name }?["id"] as? String))"

        var logs = try await client.send(.GET, "\(base)/logs", token: admin)
        for _ in 0..<30 where logs.jsonArray.count < 2 {
            try await Task.sleep(for: .milliseconds(100))
            logs = try await client.send(.GET, "\(base)/logs", token: admin)
        }
        #expect(logs.status == .ok, "\(logs.body)")
        let lines = logs.jsonArray.map { "\($0["stream"] as? String ?? "?"):\($0["text"] as? String ?? "?")" }
        #expect(lines == ["stdout:pod-out", "stderr:pod-err"], "\(logs.body)")
        let tail = try await client.send(.GET, "\(base)/logs?tail=1", token: admin)
        #expect(tail.jsonArray.compactMap { $0["text"] as? String } == ["pod-err"], "\(tail.body)")

        let inspect = try await client.send(.GET, "\(base)/inspect", token: admin)
        #expect(inspect.status == .ok, "\(inspect.body.prefix(300))")
        #expect(!inspect.body.contains(Self.canary), "an env value leaked from Podman's inspect")
        #expect(inspect.body.contains("SECRET_TOKEN=***"))

        let stats = try await client.send(.GET, "\(base)/stats?quick=true", token: admin)
        #expect(stats.status == .ok && (stats.json["memory_used_bytes"] as? Int ?? 0) > 0, "\(stats.body)")
        let fullStats = try await client.send(.GET, "\(base)/stats", token: admin)
        #expect(fullStats.status == .ok && (fullStats.json["memory_used_bytes"] as? Int ?? 0) > 0, "\(fullStats.body)")
        let top = try await client.send(.GET, "\(base)/top", token: admin)
        #expect(top.status == .ok && top.body.contains("sleep"), "\(top.body)")
        let topAux = try await client.send(.GET, "\(base)/top?ps_args=aux", token: admin)
        #expect(topAux.status == .ok && topAux.body.contains("sleep"), "\(topAux.body)")
        let volumes = try await client.send(.GET, "/api/v1/container-hosts/\(hostID)/volumes", token: admin)
        #expect(volumes.status == .ok, "\(volumes.body)")
    }
}
