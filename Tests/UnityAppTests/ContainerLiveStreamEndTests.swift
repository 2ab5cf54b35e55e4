import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// How live streams end: when the daemon is killed mid-stream the client gets an error line and the
/// response ends (no hang). A private dockerd (it is killed) on its unix socket, a real curl.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ContainerLiveStreamEndTests {
    /// An unfollowed read holds at most 4 MiB of text whatever `tail` says, and keeps the newest lines.
    @Test func anUnfollowedReadIsBoundedAndKeepsTheNewestLines() async throws {
        let engine = try TestEngine.docker()
        let name = "chatty-\(UUID().uuidString.prefix(6).lowercased())"
        // 6,000 lines of about 1 KB: 6 MB of output.
        let script = "l=xxxxxxxxxx; l=$l$l$l$l$l$l$l$l$l$l; l=$l$l$l$l$l$l$l$l$l$l; i=0; "
            + "while [ $i -lt 6000 ]; do echo \"$i $l\"; i=$((i+1)); done; echo done-printing; exec sleep 600"
        try engine.cli(["run", "-d", "--name", name, "--network", "host", TestEngine.image, "sh", "-c", script])
        defer { _ = try? engine.cli(["rm", "-f", name]) }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["socket_path": engine.socketPath, "name": "chatty"])
            let hostID = try #require(host.json["id"] as? String, "\(host.body)")
            let rows = try await client.send(.GET, "/api/v1/containers?host_id=\(hostID)", token: admin).jsonArray
            let id = try #require(rows.first { $0["name"] as? String == name }?["id"] as? String)
            var logs = try await client.send(.GET, "/api/v1/containers/\(id)/logs?tail=1", token: admin)
            for _ in 0..<100 where !logs.body.contains("done-printing") {
                try await Task.sleep(for: .milliseconds(100))
                logs = try await client.send(.GET, "/api/v1/containers/\(id)/logs?tail=1", token: admin)
            }
            let bounded = try await client.send(.GET, "/api/v1/containers/\(id)/logs?tail=10000&timestamps=false", token: admin)
            #expect(bounded.status == .ok)
            #expect(bounded.headers.first(name: ContainerLogsController.truncatedHeader) == "true")
            let texts = bounded.jsonArray.compactMap { $0["text"] as? String }
            let bytes = texts.reduce(0) { $0 + $1.utf8.count }
            #expect(bytes <= ContainerLogsController.maxBufferedBytes && bytes > ContainerLogsController.maxBufferedBytes - 2_000, "\(bytes) bytes")
            #expect(texts.last == "done-printing" && texts.dropLast().last?.hasPrefix("5999 ") == true)
            #expect(bounded.jsonArray.allSatisfy { $0["time"] == nil })
            // A small answer is not marked.
            #expect(logs.headers.first(name: ContainerLogsController.truncatedHeader) == nil)
        }
    }

    @Test func aDaemonKilledMidStreamEndsTheFollowWithAnError() async throws {
        let engine = try TestEngine.privateDocker(importImage: true)
        defer { engine.kill() }
        let name = "doomed-\(UUID().uuidString.prefix(6).lowercased())"
        try engine.cli(["run", "-d", "--name", name, "--network", "host", TestEngine.image, "sh", "-c", "echo before-kill; exec sleep 600"])
        try await withUnityApp { app in
            try await withListener(app) { port in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["socket_path": engine.socketPath, "name": "doomed"])
            let hostID = try #require(host.json["id"] as? String, "\(host.body)")
            let rows = try await client.send(.GET, "/api/v1/containers?host_id=\(hostID)", token: admin).jsonArray
            let id = try #require(rows.first { $0["name"] as? String == name }?["id"] as? String)

            let follow = try StreamingCurl.start("http://127.0.0.1:\(port)/api/v1/containers/\(id)/logs?follow=true",
                                                 headers: ["Authorization: Bearer \(admin)"])
            defer { follow.stop() }
            #expect(try await follow.waitFor("before-kill"), "\(follow.text)")
            engine.kill()
            let ended = try await follow.exitSeconds(within: 15)
            #expect(ended != nil, "the follow did not end after the daemon died: \(follow.text)")
            let last = follow.jsonLines.last
            #expect((last?["error"] as? [String: Any])?["code"] as? String != nil, "\(follow.text)")
            // Unity goes on answering, with the engine's error rather than a 500.
            let after = try await client.send(.GET, "/api/v1/containers/\(id)/logs", token: admin)
            #expect(after.status == .serviceUnavailable, "\(after.status) \(after.body)")
            }
        }
    }
}
