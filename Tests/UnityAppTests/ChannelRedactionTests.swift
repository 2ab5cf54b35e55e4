import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// What each caller sees of a channel URL: viewers and `read` keys scheme, host and a
/// fingerprint; operators and admins the URL with every possible secret masked. Through the
/// JSON API, the delivery log and the HTML pages.
@Suite struct ChannelRedactionTests {
    static let webhook = "generic+http://127.0.0.1:9/a/opensesame-x/b?code=hunter2hunter2&token=tok-UNITYCANARY-9"
    static let ntfy = "ntfy://ntfy.sh/unity-topic-UNITYCANARY"
    static let leaks = ["opensesame", "hunter2", "UNITYCANARY", "/a/", "code=h"]

    @Test(arguments: TestDatabase.available)
    func eachRoleSeesOnlyWhatItMay(_ database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let hook = try await client.send(.POST, "/api/v1/notification-channels", token: admin, json: ["name": "hook", "url": Self.webhook])
            let topic = try await client.send(.POST, "/api/v1/notification-channels", token: admin, json: ["name": "phone", "url": Self.ntfy])
            #expect(hook.status == .created && topic.status == .created, "\(hook.body) \(topic.body)")
            let hookID = try #require(hook.json["id"] as? String)
            let viewer = try await client.user(.viewer, adminToken: admin).token
            let operatorToken = try await client.user(.operator, adminToken: admin).token
            let readKey = try await client.apiKey(scopes: ["read"], token: admin)
            // A send attempt puts the channel into the delivery log (port 9 refuses).
            #expect(try await client.send(.POST, "/api/v1/notification-channels/\(hookID)/test", token: operatorToken).status == .ok)

            let summaries = ["hook": "generic+http://127.0.0.1:9", "phone": "ntfy://ntfy.sh"]
            let redacted = ["hook": "generic+http://127.0.0.1:9/***/***/***?code=***&token=***", "phone": "ntfy://ntfy.sh/***"]
            for (who, token, expected) in [("viewer", viewer, summaries), ("read key", readKey, summaries),
                                           ("operator", operatorToken, redacted), ("admin", admin, redacted)] {
                let list = try await client.send(.GET, "/api/v1/notification-channels", token: token)
                let items = try #require(list.json["items"] as? [[String: Any]], "\(who): \(list.body)")
                for item in items {
                    let name = try #require(item["name"] as? String)
                    #expect(item["url"] as? String == expected[name], "\(who) sees \(item["url"] ?? "nothing") for \(name)")
                    #expect((item["fingerprint"] as? String)?.count == 8, "\(who): \(item)")
                }
                let one = try await client.send(.GET, "/api/v1/notification-channels/\(hookID)", token: token)
                #expect(one.json["url"] as? String == expected["hook"], "\(who): \(one.body)")
                let log = try await client.send(.GET, "/api/v1/notifications", token: token)
                let entry = try #require((log.json["items"] as? [[String: Any]])?.first, "\(who): \(log.body)")
                #expect(entry["channel_url"] as? String == expected["hook"], "\(who): \(entry)")
                for body in [list.body, one.body, log.body] {
                    for leak in Self.leaks { #expect(!body.contains(leak), "\(who) sees \(leak): \(body)") }
                }
            }
            // The pages show the same, with the role the session acts with.
            for (role, expected) in [("viewer", summaries), ("operator", redacted)] {
                let browser = try await WebCredentialPagesTests.signIn(client, role: role, admin: admin)
                let page = try await browser.get("/channels")
                #expect(page.status == .ok)
                for value in expected.values { #expect(page.body.contains(WebPage.escape(value) + "</code>"), "\(role): \(value)") }
                for leak in Self.leaks { #expect(!page.body.contains(leak), "\(role) page shows \(leak)") }
            }
            let adminBrowser = try await WebPagesTests.Browser.signIn(client, "admin", TestClient.adminPassword)
            for path in ["/channels", "/channels/\(hookID.lowercased())"] {
                let page = try await adminBrowser.get(path)
                #expect(page.status == .ok && page.body.contains(WebPage.escape(redacted["hook"] ?? "")), "\(path)")
                for leak in Self.leaks { #expect(!page.body.contains(leak), "admin \(path) shows \(leak)") }
            }
        }
    }

    /// Rows written under the old rules (the column keeps what was stored) are shown under today's.
    @Test func storedOlderRedactionsAreTightenedOnRead() {
        let old = "generic+http://127.0.0.1:9/a/opensesame-x/b?code=hunter2hunter2&token=***"
        #expect(ChannelURLAudience.redacted.show(old) == "generic+http://127.0.0.1:9/***/***/***?code=***&token=***")
        #expect(ChannelURLAudience.summary.show(old) == "generic+http://127.0.0.1:9")
        #expect(ChannelURLAudience.redacted.show("ntfy://alice:***@ntfy.sh/secret-topic?priority=4") == "ntfy://alice:***@ntfy.sh/***?priority=4")
        #expect(ChannelURLAudience.summary.show("discord://***@***") == "discord://***")
        let current = "telegram://***@telegram?chats=@ops"
        #expect(ChannelURLAudience.redacted.show(current) == current)
    }
}
