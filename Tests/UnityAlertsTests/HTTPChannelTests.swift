import Foundation
import Testing
import UnityTestSupport
@testable import UnityAlerts

/// Each service against a real HTTP receiver on loopback; the asserted method, path, headers
/// and body follow that service's published API.
@Suite(.serialized) struct HTTPChannelTests {
    static func firedMessage() throws -> RenderedMessage {
        var h = Harness(rule: diskRule(channels: [channelA]))
        h.observe(usage(95, 0))
        return MessageRenderer(baseURL: "https://unity.lan").render(try #require(h.sent.first))
    }

    func deliver(
        _ url: String, answer: String = #"{"ok":true}"#, statuses: String = "200", routes: String = "", extra: [String] = []
    ) async throws -> (DeliveryResult, [[String: Any]]) {
        try await withPeer(script: "http_receiver.py", arguments: ["--statuses", statuses, "--body", answer, "--routes", routes] + extra) { peer in
            let sender = ChannelSender(timeout: .seconds(5))
            let config = try ChannelURL.parse(url.replacingOccurrences(of: "$BASE", with: peer.baseURL).replacingOccurrences(of: "$PORT", with: String(peer.port)))
            let result = await sender.send(try Self.firedMessage(), to: config, deliveryID: UUID(uuidString: "11111111-2222-3333-4444-555555555555") ?? UUID())
            await sender.shutdown()
            return (result, try await peer.records(atLeast: 1))
        }
    }

    static func json(_ record: [String: Any]) throws -> [String: Any] {
        let body = try #require(record["body"] as? String)
        return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    static func headers(_ record: [String: Any]) -> [String: String] { record["headers"] as? [String: String] ?? [:] }

    @Test func genericWebhookSignsTheRawBody() async throws {
        let (result, records) = try await deliver(
            "generic+http://127.0.0.1:$PORT/hooks/unity?secret=UNITYCANARY-hmac&team=ops", extra: ["--hmac-secret", "UNITYCANARY-hmac"]
        )
        #expect(result.ok && result.httpStatus == 200)
        let record = try #require(records.first)
        #expect(record["method"] as? String == "POST" && record["path"] as? String == "/hooks/unity")
        #expect((record["query"] as? [String: [String]])?["team"] == ["ops"])
        let headers = Self.headers(record)
        #expect(headers["content-type"] == "application/json" && headers["x-unity-event"] == "fired")
        // The receiver computed the HMAC with Python's hmac module over the bytes it received.
        #expect(headers["x-unity-signature"] == record["expected_signature"] as? String)
        #expect(headers["x-unity-signature"]?.count == 71)
        let body = try Self.json(record)
        #expect(body["event"] as? String == "fired" && body["severity"] as? String == "warning")
        let alert = try #require((body["alerts"] as? [[String: Any]])?.first)
        #expect(alert["value"] as? Double == 95 && (alert["resource"] as? [String: Any])?["name"] as? String == "nas /dev/sda")
    }

    @Test func ntfyPublishesJSONToTheServerRoot() async throws {
        let (result, records) = try await deliver("ntfy://ana:UNITYCANARY-pw@127.0.0.1:$PORT/homelab?scheme=http&tags=lab")
        #expect(result.ok)
        let record = try #require(records.first)
        #expect(record["method"] as? String == "POST" && record["path"] as? String == "/")
        let expected = "Basic " + Data("ana:UNITYCANARY-pw".utf8).base64EncodedString()
        #expect(Self.headers(record)["authorization"] == expected)
        let body = try Self.json(record)
        #expect(body["topic"] as? String == "homelab" && body["title"] as? String == "[warning] Disk usage on nas /dev/sda")
        #expect((body["message"] as? String)?.contains("Value: 95") == true && body["priority"] as? Int == 4)
        #expect(body["tags"] as? [String] == ["warning", "lab"] && (body["click"] as? String)?.hasPrefix("https://unity.lan/alerts/") == true)
    }

    @Test func gotifyPostsMessageWithTheAppTokenHeader() async throws {
        let (result, records) = try await deliver("gotify://127.0.0.1:$PORT/UNITYCANARYgotify?disabletls=yes")
        #expect(result.ok)
        let record = try #require(records.first)
        #expect(record["method"] as? String == "POST" && record["path"] as? String == "/message")
        #expect(Self.headers(record)["x-gotify-key"] == "UNITYCANARYgotify")
        let body = try Self.json(record)
        #expect(body["priority"] as? Int == 5 && body["title"] as? String == "[warning] Disk usage on nas /dev/sda")
        let click = ((body["extras"] as? [String: Any])?["client::notification"] as? [String: Any])?["click"] as? [String: Any]
        #expect((click?["url"] as? String)?.hasPrefix("https://unity.lan/alerts/") == true)
    }

    @Test func discordExecutesTheWebhookWithAnEmbed() async throws {
        let (result, records) = try await deliver("discord://UNITYCANARY-token@112233?apiurl=$BASE", statuses: "204")
        #expect(result.ok && result.httpStatus == 204)
        let record = try #require(records.first)
        #expect(record["method"] as? String == "POST" && record["path"] as? String == "/api/webhooks/112233/UNITYCANARY-token")
        let embed = try #require((try Self.json(record)["embeds"] as? [[String: Any]])?.first)
        #expect(embed["title"] as? String == "[warning] Disk usage on nas /dev/sda" && embed["color"] as? Int == 0xECB22E)
        #expect((embed["description"] as? String)?.contains("Value: 95") == true)
    }

    @Test func slackIncomingWebhookAndBotAPI() async throws {
        let (hook, hookRecords) = try await deliver("slack://hook:T01-B02-UNITYCANARY@webhook?apiurl=$BASE")
        #expect(hook.ok)
        let record = try #require(hookRecords.first)
        #expect(record["method"] as? String == "POST" && record["path"] as? String == "/services/T01/B02/UNITYCANARY")
        #expect((try Self.json(record)["text"] as? String)?.hasPrefix("*[warning] Disk usage on nas /dev/sda*\n") == true)

        let (bot, botRecords) = try await deliver("slack://xoxb:UNITYCANARY-bot@C0123ABC?apiurl=$BASE")
        #expect(bot.ok)
        let api = try #require(botRecords.first)
        #expect(api["path"] as? String == "/api/chat.postMessage")
        #expect(Self.headers(api)["authorization"] == "Bearer xoxb-UNITYCANARY-bot")
        #expect(try Self.json(api)["channel"] as? String == "C0123ABC")

        let (refused, _) = try await deliver("slack://xoxb:UNITYCANARY-bot@C0123ABC?apiurl=$BASE", answer: #"{"ok":false,"error":"channel_not_found"}"#)
        #expect(!refused.ok && !refused.retryable && refused.error == "rejected: channel_not_found")
    }

    @Test func telegramSendsOneMessagePerChat() async throws {
        let (result, _) = try await deliver("telegram://123456:UNITYCANARY-tg@telegram?chats=@ops,-1001&apiurl=$BASE")
        #expect(result.ok)
        let records = try await withPeer(script: "http_receiver.py") { peer in
            let sender = ChannelSender(timeout: .seconds(5))
            let config = try ChannelURL.parse("telegram://123456:UNITYCANARY-tg@telegram?chats=@ops,-1001&apiurl=\(peer.baseURL)")
            _ = await sender.send(try Self.firedMessage(), to: config, deliveryID: UUID())
            await sender.shutdown()
            return try await peer.records(atLeast: 2)
        }
        #expect(records.map { $0["path"] as? String } == ["/bot123456:UNITYCANARY-tg/sendMessage", "/bot123456:UNITYCANARY-tg/sendMessage"])
        #expect(try records.map { try Self.json($0)["chat_id"] as? String } == ["@ops", "-1001"])
        #expect((try Self.json(records[0])["text"] as? String)?.hasPrefix("[warning] Disk usage on nas /dev/sda\n\n") == true)
    }

    @Test func pushoverPostsTheDocumentedFormFields() async throws {
        let (result, records) = try await deliver("pushover://shoutrrr:UNITYCANARYapp@UNITYCANARYuser/?devices=phone&apiurl=$BASE")
        #expect(result.ok)
        let record = try #require(records.first)
        #expect(record["method"] as? String == "POST" && record["path"] as? String == "/1/messages.json")
        #expect(Self.headers(record)["content-type"] == "application/x-www-form-urlencoded")
        let form = URLComponents(string: "x:?" + (record["body"] as? String ?? ""))?.queryItems ?? []
        let fields = Dictionary(form.map { ($0.name, ($0.value ?? "").replacingOccurrences(of: "+", with: " ")) }, uniquingKeysWith: { a, _ in a })
        #expect(fields["token"] == "UNITYCANARYapp" && fields["user"] == "UNITYCANARYuser" && fields["device"] == "phone")
        #expect(fields["title"] == "[warning] Disk usage on nas /dev/sda" && fields["priority"] == "0")
        #expect(fields["message"]?.contains("Value: 95") == true && fields["url"]?.hasPrefix("https://unity.lan/alerts/") == true)
    }

    @Test func matrixLogsInResolvesTheAliasAndPutsTheEvent() async throws {
        let routes = #"POST /_matrix/client/v3/login={"access_token":"UNITYCANARY-session","user_id":"@unity:m.lan"};;"#
            + #"GET /_matrix/client/v3/directory/room/#ops:m.lan={"room_id":"!room1:m.lan"}"#
        let (result, records) = try await deliver("matrix://unity:UNITYCANARY-matrix@127.0.0.1:$PORT/?rooms=ops:m.lan&disabletls=yes", routes: routes)
        #expect(result.ok)
        let all = try #require(records.count == 3 ? records : nil)
        let login = try Self.json(all[0])
        #expect(login["type"] as? String == "m.login.password" && login["password"] as? String == "UNITYCANARY-matrix")
        #expect((login["identifier"] as? [String: Any])?["user"] as? String == "unity")
        #expect(all[1]["method"] as? String == "GET" && all[1]["raw_path"] as? String == "/_matrix/client/v3/directory/room/%23ops%3Am.lan")
        let put = all[2]
        #expect(put["method"] as? String == "PUT")
        #expect(put["raw_path"] as? String == "/_matrix/client/v3/rooms/%21room1%3Am.lan/send/m.room.message/unity-11111111-2222-3333-4444-555555555555-0")
        #expect(Self.headers(put)["authorization"] == "Bearer UNITYCANARY-session")
        let body = try Self.json(put)
        #expect(body["msgtype"] as? String == "m.text" && (body["body"] as? String)?.hasPrefix("[warning] Disk usage") == true)
    }

    @Test func refusalsAreReportedWithoutSecrets() async throws {
        let (result, _) = try await deliver("discord://UNITYCANARY-token@112233?apiurl=$BASE", answer: #"{"message":"Unknown Webhook UNITYCANARY-token"}"#, statuses: "404")
        #expect(!result.ok && result.httpStatus == 404 && !result.retryable)
        #expect(result.error?.contains("Unknown Webhook ***") == true)
        let unreachable = try ChannelURL.parse("telegram://1:UNITYCANARY@telegram?chats=1&apiurl=http://127.0.0.1:9")
        let sender = ChannelSender(timeout: .seconds(2))
        let down = await sender.send(try Self.firedMessage(), to: unreachable, deliveryID: UUID())
        await sender.shutdown()
        #expect(!down.ok && down.retryable && down.error?.contains("UNITYCANARY") == false)
    }
}
