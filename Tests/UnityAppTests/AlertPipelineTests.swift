import Fluent
import Foundation
import Testing
import UnityAlerts
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The alert pipeline inside the app, against real loopback HTTP receivers: stored channels and
/// rules, exactly one message per channel per state change, the delivery log, maintenance mode,
/// a failing channel raising a system alert, and channel secrets never leaving the SecretBox.
@Suite struct AlertPipelineTests {
    static let canary = "UNITYCANARY-channel-secret-7f3a"

    static func filesystem(_ value: Double, server: String = "srv-1", at: Date = Date()) -> Observation {
        Observation(resource: ResourceRef(type: "filesystem", id: "\(server):/", name: "nas /", serverID: server),
                    key: InfrastructureAlerts.filesystemUsed, value: value, at: at)
    }

    static func events(_ peer: Peer) -> [String] {
        peer.records().compactMap { ($0["headers"] as? [String: String])?["x-unity-event"] }
    }

    @Test(arguments: TestDatabase.available)
    func aCrossingNotifiesEachChannelOnceUntilItResolves(database: TestDatabase) async throws {
        try await withPeer(script: "http_receiver.py") { first in
            try await withPeer(script: "http_receiver.py") { second in
                try await withUnityApp(database) { app in
                    let client = TestClient(app)
                    let admin = try await client.login("admin", TestClient.adminPassword)
                    for (name, peer) in [("one", first), ("two", second)] {
                        let created = try await client.send(.POST, "/api/v1/notification-channels", token: admin,
                                                            json: ["name": name, "url": "\(peer.baseURL)/hook?secret=\(Self.canary)"])
                        #expect(created.status == .created, "\(created.body)")
                        #expect(!created.body.contains(Self.canary))
                        #expect((created.json["url"] as? String)?.contains("***") == true)
                    }
                    let pipeline = app.unity.alerts
                    try await pipeline.observe([Self.filesystem(90)])
                    try await pipeline.waitUntilIdle()
                    #expect(Self.events(first) == ["fired"] && Self.events(second) == ["fired"])

                    // Still over the threshold, even rising: the alert is updated, nobody is told again.
                    try await pipeline.observe([Self.filesystem(91)])
                    try await pipeline.observe([Self.filesystem(93)])
                    // Back under 85 but not under the clear threshold (80): still firing, still quiet.
                    try await pipeline.observe([Self.filesystem(83)])
                    try await pipeline.waitUntilIdle()
                    #expect(Self.events(first) == ["fired"] && Self.events(second) == ["fired"])
                    let active = try await client.send(.GET, "/api/v1/alerts?status=active", token: admin)
                    #expect(active.json["total"] as? Int == 1)

                    try await pipeline.observe([Self.filesystem(70)])
                    try await pipeline.waitUntilIdle()
                    #expect(Self.events(first) == ["fired", "resolved"] && Self.events(second) == ["fired", "resolved"])
                    let body = try #require(first.records().first?["body"] as? String)
                    #expect(body.contains("nas /") && body.contains("90"))

                    let log = try await client.send(.GET, "/api/v1/notifications", token: admin)
                    let rows = try #require(log.json["items"] as? [[String: Any]])
                    #expect(rows.count == 4 && rows.allSatisfy { $0["outcome"] as? String == "delivered" && $0["http_status"] as? Int == 200 })
                    #expect(rows.allSatisfy { ($0["latency_ms"] as? Double).map { $0 >= 0 && $0 < 5_000 } == true })
                    #expect(!log.body.contains(Self.canary))
                    let stored = try await NotificationLogEntry.query(on: app.db).all()
                    #expect(stored.allSatisfy { !($0.redactedURL + ($0.error ?? "")).contains(Self.canary) })
                    let channels = try await client.send(.GET, "/api/v1/notification-channels", token: admin)
                    #expect(!channels.body.contains(Self.canary) && channels.json["total"] as? Int == 2)
                }
            }
        }
    }

    @Test func maintenanceHoldsNotificationsButRecordsAlerts() async throws {
        try await withPeer(script: "http_receiver.py") { peer in
            try await withUnityApp { app in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                _ = try await client.send(.POST, "/api/v1/notification-channels", token: admin, json: ["name": "hook", "url": "\(peer.baseURL)/h"])
                let on = try await client.send(.PUT, "/api/v1/alerts/maintenance", token: admin, json: ["global": true, "server_ids": []])
                #expect(on.json["global"] as? Bool == true, "\(on.body)")
                try await app.unity.alerts.observe([Self.filesystem(97)])
                try await app.unity.alerts.waitUntilIdle()
                #expect(peer.records().isEmpty)
                #expect(try await client.send(.GET, "/api/v1/alerts?status=firing", token: admin).json["total"] as? Int == 2)
                let held = try await client.send(.GET, "/api/v1/notifications?outcome=suppressed", token: admin)
                #expect(held.json["total"] as? Int == 2)
                let unknown = try await client.send(.PUT, "/api/v1/alerts/maintenance", token: admin, json: ["global": false, "server_ids": [UUID().uuidString]])
                #expect(unknown.status == .unprocessableEntity && unknown.errorField == "server_ids")
            }
        }
    }

    @Test func aChannelThatRefusesRaisesOneSystemAlert() async throws {
        try await withPeer(script: "http_receiver.py", arguments: ["--statuses", "404"]) { peer in
            try await withUnityApp { app in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                _ = try await client.send(.POST, "/api/v1/notification-channels", token: admin, json: ["name": "gone", "url": "\(peer.baseURL)/h"])
                try await app.unity.alerts.observe([Self.filesystem(90), Self.filesystem(91, server: "srv-2")])
                try await app.unity.alerts.waitUntilIdle()
                let system = try await client.send(.GET, "/api/v1/alerts?source=system", token: admin)
                let items = try #require(system.json["items"] as? [[String: Any]])
                #expect(items.count == 1 && items.first?["resource_name"] as? String == "gone", "\(system.body)")
                #expect((items.first?["message"] as? String)?.contains("404") == true)
                let failed = try await client.send(.GET, "/api/v1/notifications?outcome=failed", token: admin)
                #expect(failed.json["total"] as? Int == 2)
                // The test endpoint reports the receiver's answer.
                let channelID = try #require(((try await client.send(.GET, "/api/v1/notification-channels", token: admin)).json["items"] as? [[String: Any]])?.first?["id"] as? String)
                let test = try await client.send(.POST, "/api/v1/notification-channels/\(channelID)/test", token: admin)
                #expect(test.json["ok"] as? Bool == false && test.json["http_status"] as? Int == 404)
            }
        }
    }

    @Test func malformedChannelURLsAreRefusedNamingThePart() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let cases: [(String, String)] = [
                ("ftp://x/y", "scheme"), ("telegram://@telegram?chats=1", "token"), ("smtp://mail.home.arpa:25/?to=a@b", "from"),
                ("discord://", ""), ("not a url", "scheme"),
            ]
            for (url, part) in cases {
                let response = try await client.send(.POST, "/api/v1/notification-channels", token: admin, json: ["name": "c", "url": url])
                #expect(response.status == .unprocessableEntity, "\(url): \(response.body)")
                #expect(response.errorField == "url")
                if !part.isEmpty { #expect(response.errorMessage?.contains(part) == true, "\(url): \(response.errorMessage ?? "")") }
            }
        }
    }

    @Test func acknowledgeSnoozeResolveAndBulk() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin).token
            try await app.unity.alerts.observe([Self.filesystem(90), Self.filesystem(90, server: "srv-2"), Self.filesystem(90, server: "srv-3")])
            let list = try await client.send(.GET, "/api/v1/alerts?status=firing", token: viewer)
            let ids = try #require((list.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String })
            #expect(ids.count == 3)
            #expect(try await client.send(.POST, "/api/v1/alerts/\(ids[0])/acknowledge", token: viewer, json: [:]).status == .forbidden)

            let acked = try await client.send(.POST, "/api/v1/alerts/\(ids[0])/acknowledge", token: admin, json: ["note": "on it", "until_value_changes": true])
            #expect(acked.json["status"] as? String == "acknowledged" && acked.json["acknowledgement_note"] as? String == "on it", "\(acked.body)")
            // Same value: stays acknowledged. A new value: fires again.
            try await app.unity.alerts.observe([Self.filesystem(90)])
            #expect(try await client.send(.GET, "/api/v1/alerts/\(ids[0])", token: viewer).json["status"] as? String == "acknowledged")

            let snoozed = try await client.send(.POST, "/api/v1/alerts/\(ids[1])/snooze", token: admin, json: ["minutes": 30])
            #expect(snoozed.json["snoozed_until"] != nil, "\(snoozed.body)")
            #expect(try await client.send(.POST, "/api/v1/alerts/\(ids[1])/snooze", token: admin, json: [:]).errorField == "until")

            let bulk = try await client.send(.POST, "/api/v1/alerts/bulk", token: admin, json: ["action": "resolve", "ids": ids + [UUID().uuidString]])
            #expect((bulk.json["updated"] as? [[String: Any]])?.count == 3, "\(bulk.body)")
            #expect((bulk.json["rejected"] as? [[String: Any]])?.first?["reason"] as? String == "no such alert")
            #expect(try await client.send(.POST, "/api/v1/alerts/\(ids[2])/resolve", token: admin).status == .conflict)
            #expect(try await client.send(.GET, "/api/v1/alerts?status=resolved", token: viewer).json["total"] as? Int == 3)
            #expect(try await client.send(.POST, "/api/v1/alerts/bulk", token: admin, json: ["action": "explode", "ids": ids]).errorField == "action")
        }
    }

    @Test func customTemplatesShapeTheMessagesAndNullRestoresTheDefault() async throws {
        try await withPeer(script: "http_receiver.py") { peer in
            try await withUnityApp { app in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                _ = try await client.send(.POST, "/api/v1/notification-channels", token: admin, json: ["name": "hook", "url": "\(peer.baseURL)/h"])
                let changed = try await client.send(.PUT, "/api/v1/notification-templates", token: admin,
                                                    json: ["templates": ["fired": ["title": "DISK {{resource}} at {{value}}%", "body": "{{rule}}"]]])
                #expect(changed.json["customized"] as? [String] == ["fired"], "\(changed.body)")
                #expect(try await client.send(.PUT, "/api/v1/notification-templates", token: admin,
                                              json: ["templates": ["exploded": ["title": "x", "body": "y"]]]).errorField == "templates")
                try await app.unity.alerts.observe([Self.filesystem(88)])
                try await app.unity.alerts.waitUntilIdle()
                let body = try #require(peer.records().first?["body"] as? String)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                #expect(json["title"] as? String == "DISK nas / at 88%", "\(body)")
                let reset = try await client.send(.PUT, "/api/v1/notification-templates", token: admin, json: ["templates": ["fired": NSNull()]])
                #expect((reset.json["customized"] as? [String])?.isEmpty == true)
            }
        }
    }
}
