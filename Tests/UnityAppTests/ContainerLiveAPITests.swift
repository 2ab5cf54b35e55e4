import Fluent
import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnitySSH
import UnitySSHTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Live state through the API (logs, stats, top, inspect, host resources) from the shared test
/// dockerd, reached the way a user's server is: `docker system dial-stdio` over a real sshd on the
/// server's pinned connection. Streams are read by a real curl on Unity's real listener.
@Suite(.enabled(if: SSHD.enabled), .serialized, .timeLimit(.minutes(4)))
struct ContainerLiveAPITests {
    static let canary = "unity-canary-live-env-9d3e"

    /// A monitored server on `sshd` made a container host of `engine`; returns the host id.
    static func containerHost(_ client: TestClient, admin: String, sshd: SSHD, key: SSHPrivateKeyFile, engine: TestEngine) async throws -> String {
        let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin,
                                                       json: ["name": "k", "private_key": key.text]).json["id"] as? String)
        let server = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
            "name": "live-box", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID,
        ]).json["id"] as? String)
        #expect(try await client.send(.POST, "/api/v1/servers/\(server)/test", token: admin).status == .ok)
        let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["server_id": server, "socket_path": engine.socketPath])
        #expect(host.status == .created && host.json["status"] as? String == "up", "\(host.body)")
        return try #require(host.json["id"] as? String)
    }

    static func containerID(_ client: TestClient, admin: String, host: String, name: String) async throws -> String {
        let rows = try await client.send(.GET, "/api/v1/containers?host_id=\(host)", token: admin).jsonArray
        return try #require(rows.first { $0["name"] as? String == name }?["id"] as? String, "\(name) not in \(rows.count) rows")
    }

    /// Waits (up to 5 s) until `count` live streams are open.
    static func openStreams(_ app: Application, become count: Int) async throws -> Bool {
        for _ in 0..<100 where app.containerLiveStreams.openCount != count { try await Task.sleep(for: .milliseconds(50)) }
        return app.containerLiveStreams.openCount == count
    }

    @Test func logsStatsTopInspectAndHostResourcesOverSSH() async throws {
        let engine = try TestEngine.docker()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let name = "live-\(tag)", secret = "live-secret-\(tag)"
        try engine.cli(["run", "-d", "--name", name, "--network", "host", "-e", "SECRET_TOKEN=\(Self.canary)", "-v", "live-vol-\(tag):/data",
                        TestEngine.image, "sh", "-c", "echo out-1; sleep 0.2; echo err-1 >&2; sleep 0.2; echo out-2; sleep 0.2; echo err-2 >&2; exec sleep 600"])
        try engine.cli(["run", "-d", "--name", secret, "--network", "host", "--label", "unity.sensitive=true",
                        TestEngine.image, "sh", "-c", "echo hidden-line; exec sleep 600"])
        defer { for container in [name, secret] { _ = try? engine.cli(["rm", "-f", "-v", container]) } }
        let key = try TestKeys.ed25519()
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)]) { sshd in
            try await withUnityApp { app in
                try await withListener(app) { port in
                app.containerLiveStreams.heartbeat = .milliseconds(300)
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let viewer = try await client.user(.viewer, adminToken: admin).token
                let operatorToken = try await client.user(.operator, adminToken: admin).token
                let host = try await Self.containerHost(client, admin: admin, sshd: sshd, key: key, engine: engine)
                let id = try await Self.containerID(client, admin: admin, host: host, name: name)
                let base = "/api/v1/containers/\(id)"

                // (stdout and stderr are separate pipes: the engine orders lines only by when it read them, hence the pauses.)
                for _ in 0..<50 where try await client.send(.GET, "\(base)/logs", token: viewer).jsonArray.count < 4 {
                    try await Task.sleep(for: .milliseconds(100))
                }
                // Logs: both streams in order, the stream filter, tail, since (RFC 3339 and unix seconds).
                let all = try await client.send(.GET, "\(base)/logs", token: viewer)
                #expect(all.status == .ok, "\(all.body)")
                #expect(all.jsonArray.compactMap { $0["text"] as? String } == ["out-1", "err-1", "out-2", "err-2"], "\(all.body)")
                #expect(all.jsonArray.compactMap { $0["stream"] as? String } == ["stdout", "stderr", "stdout", "stderr"])
                let stderr = try await client.send(.GET, "\(base)/logs?stream=stderr", token: viewer).jsonArray
                #expect(stderr.compactMap { $0["text"] as? String } == ["err-1", "err-2"])
                let tail = try await client.send(.GET, "\(base)/logs?tail=1", token: viewer).jsonArray
                #expect(tail.compactMap { $0["text"] as? String } == ["err-2"])
                let times = all.jsonArray.compactMap { $0["time"] as? String }
                #expect(times.count == 4, "\(all.body)")
                let future = Int(Date().timeIntervalSince1970) + 120
                #expect(try await client.send(.GET, "\(base)/logs?since=\(future)", token: viewer).jsonArray.isEmpty)
                let sinceFirst = try await client.send(.GET, "\(base)/logs?since=\(try #require(times.first))", token: viewer)
                #expect(sinceFirst.jsonArray.count == 4, "\(sinceFirst.body)")
                #expect(try await client.send(.GET, "\(base)/logs?since=2000-01-01T00:00:00Z&tail=2", token: viewer).jsonArray.count == 2)

                // Every parameter is validated, naming the field.
                for (query, field) in [("tail=-1", "tail"), ("tail=10001", "tail"), ("tail=x", "tail"), ("since=yesterday", "since"),
                                       ("follow=maybe", "follow"), ("timestamps=2", "timestamps"), ("stream=both", "stream")] {
                    let refused = try await client.send(.GET, "\(base)/logs?\(query)", token: viewer)
                    #expect(refused.status == .unprocessableEntity && refused.errorField == field, "\(query): \(refused.status) \(refused.body)")
                }
                #expect(try await client.send(.GET, "/api/v1/containers/\(UUID())/logs", token: viewer).status == .notFound)

                // Follow over NDJSON: the backlog, then a line printed after the request started.
                let follow = try StreamingCurl.start("http://127.0.0.1:\(port)\(base)/logs?follow=true&tail=2", headers: ["Authorization: Bearer \(viewer)"])
                defer { follow.stop() }
                #expect(try await follow.waitFor("err-2"), "\(follow.text)")
                try engine.cli(["exec", name, "sh", "-c", "echo late-line-\(tag) > /proc/1/fd/1"])
                #expect(try await follow.waitFor("late-line-\(tag)"), "\(follow.text)")
                #expect(follow.jsonLines.contains { $0["text"] as? String == "late-line-\(tag)" && $0["stream"] as? String == "stdout" })
                follow.stop()
                // The client hanging up ends the stream and gives its slot back (the engine stream is cancelled first).
                #expect(try await Self.openStreams(app, become: 0), "a stream outlived its client")

                // At most four streams per container host (each is one dial-stdio channel); the fifth is a 429.
                var held: [StreamingCurl] = []
                defer { held.forEach { $0.stop() } }
                for _ in 0..<ContainerLiveStreams.perHost {
                    held.append(try StreamingCurl.start("http://127.0.0.1:\(port)\(base)/logs?follow=true&tail=1", headers: ["Authorization: Bearer \(operatorToken)"]))
                }
                #expect(try await Self.openStreams(app, become: ContainerLiveStreams.perHost))
                let fifth = try await client.send(.GET, "\(base)/logs?follow=true", token: admin)
                #expect(fifth.status == .tooManyRequests && fifth.errorCode == "too_many_streams", "\(fifth.status) \(fifth.body)")
                held.forEach { $0.stop() }
                #expect(try await Self.openStreams(app, become: 0))

                // An open stream ends within a heartbeat once its caller's access does (a disabled user).
                let leaving = try await client.user(.viewer, adminToken: admin)
                let watched = try StreamingCurl.start("http://127.0.0.1:\(port)\(base)/logs?follow=true&tail=1", headers: ["Authorization: Bearer \(leaving.token)"])
                defer { watched.stop() }
                #expect(try await watched.waitFor("late-line-\(tag)"), "\(watched.text)")
                #expect(try await client.send(.PATCH, "/api/v1/users/\(leaving.id)", token: admin, json: ["disabled": true]).status == .ok)
                let cutOff = try await watched.exitSeconds(within: 5)
                #expect(cutOff.map { $0 < 2 } == true, "disabled user: the stream ended after \(cutOff.map { "\($0) s" } ?? "never")")

                // The browser's EventSource gets Server-Sent Events.
                let events = try StreamingCurl.start("http://127.0.0.1:\(port)\(base)/logs?tail=1",
                                                     headers: ["Authorization: Bearer \(viewer)", "Accept: text/event-stream"])
                defer { events.stop() }
                #expect(try await events.waitFor("event: line"), "\(events.text)")
                #expect(events.text.contains("data: {") && events.text.contains("late-line-\(tag)"), "\(events.text)")
                events.stop()

                // Stats: plausible numbers, one-shot, and a stream.
                let stats = try await client.send(.GET, "\(base)/stats", token: viewer)
                #expect(stats.status == .ok, "\(stats.body)")
                #expect((stats.json["memory_used_bytes"] as? Int ?? 0) > 0, "\(stats.body)")
                #expect((stats.json["memory_limit_bytes"] as? Int ?? 0) > 0, "\(stats.body)")
                #expect((stats.json["pids"] as? Int ?? 0) >= 1, "\(stats.body)")
                #expect(stats.json["cpu_percent"] as? Double != nil || stats.json["cpu_percent"] as? Int != nil, "\(stats.body)")
                #expect(try await client.send(.GET, "\(base)/stats?quick=true", token: viewer).status == .ok)
                #expect(try await client.send(.GET, "\(base)/stats?quick=x", token: viewer).errorField == "quick")
                #expect(try await client.send(.GET, "\(base)/stats?stream=x", token: viewer).errorField == "stream")
                let statsStream = try StreamingCurl.start("http://127.0.0.1:\(port)\(base)/stats?stream=true", headers: ["Authorization: Bearer \(viewer)"])
                defer { statsStream.stop() }
                #expect(try await statsStream.waitFor("memory_used_bytes"), "\(statsStream.text)")
                statsStream.stop()

                // Top: the container's process, with only the allowed ps arguments.
                let top = try await client.send(.GET, "\(base)/top", token: viewer)
                #expect(top.status == .ok, "\(top.body)")
                #expect(top.body.contains("sleep 600"), "\(top.body)")
                #expect(try await client.send(.GET, "\(base)/top?ps_args=aux", token: viewer).status == .ok)
                #expect(try await client.send(.GET, "\(base)/top?ps_args=-o%20pid;id", token: viewer).errorField == "ps_args")

                // Inspect: env values masked; an admin's reveal shows them and is audited; an operator's is refused.
                let inspect = try await client.send(.GET, "\(base)/inspect", token: viewer)
                #expect(inspect.status == .ok, "\(inspect.body.prefix(300))")
                #expect(!inspect.body.contains(Self.canary))
                #expect(inspect.body.contains("SECRET_TOKEN=***"), "\(inspect.body.prefix(600))")
                #expect(((inspect.json["inspect"] as? [String: Any])?["Id"] as? String)?.isEmpty == false)
                #expect(inspect.json["env_revealed"] as? Bool == false)
                let revealed = try await client.send(.GET, "\(base)/inspect?reveal_env=true", token: admin)
                #expect(revealed.status == .ok && revealed.body.contains("SECRET_TOKEN=\(Self.canary)"))
                #expect(revealed.json["env_revealed"] as? Bool == true)
                let refusedReveal = try await client.send(.GET, "\(base)/inspect?reveal_env=true", token: operatorToken)
                #expect(refusedReveal.status == .forbidden && refusedReveal.errorCode != nil && !refusedReveal.body.contains(Self.canary))
                #expect(try await client.send(.GET, "\(base)/inspect?reveal_env=yes", token: admin).errorField == "reveal_env")
                let reveals = try await AuditEvent.query(on: app.db).filter(\.$action == "containers.reveal_env").all()
                #expect(reveals.map(\.outcome).sorted() == ["denied", "success"], "\(reveals.map(\.outcome))")
                #expect(reveals.allSatisfy { $0.targetID == id && !$0.details.contains(Self.canary) })

                // A sensitive container: viewers see the row, not its live state; operators do, audited.
                let hidden = try await Self.containerID(client, admin: admin, host: host, name: secret)
                #expect(try await client.send(.GET, "/api/v1/containers/\(hidden)", token: viewer).status == .ok)
                for path in ["logs", "stats", "top", "inspect"] {
                    let refused = try await client.send(.GET, "/api/v1/containers/\(hidden)/\(path)", token: viewer)
                    #expect(refused.status == .forbidden && refused.errorCode == "container_sensitive", "\(path): \(refused.body)")
                    #expect(!refused.body.contains("hidden-line"))
                }
                let operatorLogs = try await client.send(.GET, "/api/v1/containers/\(hidden)/logs", token: operatorToken)
                #expect(operatorLogs.status == .ok && operatorLogs.body.contains("hidden-line"), "\(operatorLogs.body)")
                let logReads = try await AuditEvent.query(on: app.db).filter(\.$action == "containers.logs").filter(\.$targetID == hidden).all()
                #expect(logReads.map(\.outcome).sorted() == ["denied", "success"], "\(logReads.map(\.outcome))")

                // Host resources: images from the inventory, volumes and networks live; viewers read them.
                let images = try await client.send(.GET, "/api/v1/container-hosts/\(host)/images", token: viewer)
                #expect(images.status == .ok && images.jsonArray.contains { ($0["tags"] as? [String])?.contains(TestEngine.image) == true }, "\(images.body)")
                let volumes = try await client.send(.GET, "/api/v1/container-hosts/\(host)/volumes", token: viewer)
                #expect(volumes.status == .ok && volumes.jsonArray.contains { $0["name"] as? String == "live-vol-\(tag)" }, "\(volumes.body)")
                let networks = try await client.send(.GET, "/api/v1/container-hosts/\(host)/networks", token: viewer)
                #expect(networks.status == .ok && networks.jsonArray.contains { $0["name"] as? String == "host" }, "\(networks.body)")
                for path in ["images", "volumes", "networks"] {
                    #expect(try await client.send(.GET, "/api/v1/container-hosts/\(UUID())/\(path)", token: viewer).status == .notFound)
                }
                }
            }
        }
    }
}
