import Foundation
import Testing
import UnityCore
import UnityTestSupport
import Vapor
@testable import UnityApp
#if canImport(Glibc)
import Glibc
#endif

/// Open alert streams (SSE) end when their caller's access does: a revoked key, a disabled user,
/// a changed password. And one user cannot hold more than a few. Real curl on the real listener.
@Suite struct AlertStreamAccessTests {
    /// One `curl -N` on the stream, its output in a file.
    struct Listener {
        let pid: pid_t
        let output: String

        static func start(port: Int, headers: [String]) throws -> Listener {
            let output = FileManager.default.temporaryDirectory.appending(path: "sse-\(UUID().uuidString)").path
            let file = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            let null = open("/dev/null", O_RDWR)
            defer { close(file); close(null) }
            let arguments = ["-sN", "-m", "30"] + headers.flatMap { ["-H", $0] } + ["http://127.0.0.1:\(port)/api/v1/alerts/stream"]
            let pid = try ChildProcess.spawn("/usr/bin/curl", arguments, stdin: null, stdout: file, stderr: null)
            return Listener(pid: pid, output: output)
        }

        /// Seconds until curl exited, or nil if it was still running after `limit` (then it is stopped).
        func exitSeconds(within limit: Double) async throws -> Double? {
            let start = Date()
            var status: Int32 = 0
            while Date().timeIntervalSince(start) < limit {
                if waitpid(pid, &status, WNOHANG) == pid { return Date().timeIntervalSince(start) }
                try await Task.sleep(for: .milliseconds(25))
            }
            stop()
            return nil
        }

        func stop() {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }

        var text: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
    }

    static func waitForSubscribers(_ app: Application, _ count: Int) async throws {
        for _ in 0..<200 where await app.unity.alerts.events.subscriberCount < count { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await app.unity.alerts.events.subscriberCount == count)
    }

    @Test func streamsEndWithinAHeartbeatWhenAccessEnds() async throws {
        try await withUnityApp { app in
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            await app.unity.alerts.events.setHeartbeat(.milliseconds(300))
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            // The admin's read key, an operator's access token, a viewer's access token.
            let created = try await client.send(.POST, "/api/v1/api-keys", token: admin, json: ["name": "wall", "scopes": ["read"]])
            let key = try #require(created.json["token"] as? String)
            let keyID = try #require((created.json["key"] as? [String: Any])?["id"] as? String, "\(created.body)")
            let (operatorID, operatorToken) = try await client.user(.operator, adminToken: admin)
            let viewerBrowser = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let viewerToken = try await client.login("viewer-user", "viewer-password-1234")

            let byKey = try Listener.start(port: port, headers: ["Authorization: Bearer \(key)"])
            let byOperator = try Listener.start(port: port, headers: ["Authorization: Bearer \(operatorToken)"])
            let byViewer = try Listener.start(port: port, headers: ["Authorization: Bearer \(viewerToken)"])
            let byAdmin = try Listener.start(port: port, headers: ["Authorization: Bearer \(admin)"])
            defer { byAdmin.stop() }
            try await Self.waitForSubscribers(app, 4)
            // Still allowed: a few heartbeats pass and every stream is open.
            try await Task.sleep(for: .milliseconds(800))
            #expect(await app.unity.alerts.events.subscriberCount == 4)

            #expect(try await client.send(.DELETE, "/api/v1/api-keys/\(keyID)", token: admin).status == .noContent)
            let keyEnded = try await byKey.exitSeconds(within: 5)
            #expect(keyEnded.map { $0 < 1.5 } == true, "revoked key: the stream ended after \(keyEnded.map { "\($0) s" } ?? "never")")

            #expect(try await client.send(.PATCH, "/api/v1/users/\(operatorID)", token: admin, json: ["disabled": true]).status == .ok)
            let operatorEnded = try await byOperator.exitSeconds(within: 5)
            #expect(operatorEnded.map { $0 < 1.5 } == true, "disabled user: \(operatorEnded.map { "\($0) s" } ?? "never")")

            let changed = try await viewerBrowser.post("/account/password", [("current_password", "viewer-password-1234"),
                                                                             ("new_password", "a new viewer passphrase"), ("new_password_confirm", "a new viewer passphrase")])
            #expect(changed.status == .seeOther)
            let viewerEnded = try await byViewer.exitSeconds(within: 5)
            #expect(viewerEnded.map { $0 < 1.5 } == true, "changed password: \(viewerEnded.map { "\($0) s" } ?? "never")")
            #expect(byKey.text.contains(": connected"))

            // The admin's stream is untouched by all of it.
            try await Task.sleep(for: .milliseconds(400))
            #expect(await app.unity.alerts.events.subscriberCount == 1)
            await app.server.shutdown()
        }
    }

    @Test func oneUserHoldsAtMostFiveStreams() async throws {
        try await withUnityApp { app in
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin).token
            var listeners: [Listener] = []
            defer { listeners.forEach { $0.stop() } }
            for _ in 0..<AlertEventHub.streamsPerUser { listeners.append(try Listener.start(port: port, headers: ["Authorization: Bearer \(viewer)"])) }
            try await Self.waitForSubscribers(app, AlertEventHub.streamsPerUser)
            let sixth = try await client.send(.GET, "/api/v1/alerts/stream", token: viewer)
            #expect(sixth.status == .tooManyRequests && sixth.errorCode == "too_many_streams", "\(sixth.status) \(sixth.body)")
            // Another user is not affected by this one's streams.
            let other = try Listener.start(port: port, headers: ["Authorization: Bearer \(admin)"])
            listeners.append(other)
            try await Self.waitForSubscribers(app, AlertEventHub.streamsPerUser + 1)
            await app.server.shutdown()
        }
    }
}
