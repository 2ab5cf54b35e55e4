import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The container page's "Follow" reads the API's log stream with the browser's EventSource instead of
/// polling the fragment: the page names the stream, the script opens it (polling stays as the
/// fallback), and the stream answers a signed-in browser's session cookie with Server-Sent Events —
/// the backlog, then a line written afterwards (a real curl on Unity's real listener, real dockerd).
@Suite struct WebContainerFollowTests {
    @Test func followStreamsTheLogsOverServerSentEventsWithTheSessionCookie() async throws {
        let engine = try TestEngine.docker()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let name = "follow-\(tag)"
        try engine.cli(["run", "-d", "--name", name, "--network", "none", TestEngine.image, "sh", "-c", "echo first-\(tag); exec sleep 300"])
        defer { _ = try? engine.cli(["rm", "-f", name]) }
        try await withUnityApp { app in
            try await withListener(app) { port in
                app.containerLiveStreams.heartbeat = .milliseconds(300)
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let created = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                    json: ["socket_path": engine.socketPath, "name": "follow-\(tag)"])
                let hostID = try #require(created.json["id"] as? String)
                let id = try await ContainerLiveAPITests.containerID(client, admin: admin, host: hostID, name: name).lowercased()
                let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)

                let page = try await viewer.get("/containers/\(id)")
                let attribute = "data-logs-stream=\""
                let start = try #require(page.body.range(of: attribute), "the logs card names no stream")
                let streamPath = String(page.body[start.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
                #expect(streamPath == "/api/v1/containers/\(id)/logs?follow=true&tail=200", "\(streamPath)")
                let script = try await viewer.get("/assets/unity.js").body
                #expect(script.contains("new EventSource(streamURL)") && script.contains("data-logs-stream"), "the script does not open the stream")
                #expect(script.contains("setInterval(function () { fragment(logs.getAttribute(\"data-container-logs\")"), "polling stays as the fallback")

                // What the EventSource of a signed-in viewer gets.
                let events = try StreamingCurl.start("http://127.0.0.1:\(port)\(streamPath)",
                                                     headers: ["Cookie: \(viewer.cookie)", "Accept: text/event-stream"])
                defer { events.stop() }
                #expect(try await events.waitFor("first-\(tag)"), "\(events.text)")
                try engine.cli(["exec", name, "sh", "-c", "echo later-\(tag) > /proc/1/fd/1"])
                #expect(try await events.waitFor("later-\(tag)"), "\(events.text)")
                #expect(events.text.contains("event: line"))
                events.stop()
                #expect(try await ContainerLiveAPITests.openStreams(app, become: 0))
            }
        }
    }
}
