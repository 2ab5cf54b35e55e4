import Foundation
import Testing
@testable import UnityAlerts

@Suite struct ChannelURLTests {
    @Test func smtpWithStartTLSAndAuth() throws {
        let config = try ChannelURL.parse("smtp://unity:UNITYCANARY-p%40ss@mail.lan:587/?from=unity@lan&to=ana@lan,bo@lan&encryption=starttls&auth=login")
        guard case .smtp(let smtp) = config.service else { Issue.record("not smtp"); return }
        #expect(smtp.host == "mail.lan" && smtp.port == 587 && smtp.username == "unity" && smtp.password == "UNITYCANARY-p@ss")
        #expect(smtp.to == ["ana@lan", "bo@lan"] && smtp.encryption == .starttls && smtp.auth == .login)
        #expect(config.redactedURL == "smtp://unity:***@mail.lan:587/?from=unity@lan&to=ana@lan,bo@lan&encryption=starttls&auth=login")
        #expect(try ChannelURL.parse(config.fullURL) == config)
    }

    @Test func shoutrrrSMTPNamesAndAutoEncryption() throws {
        let config = try ChannelURL.parse("smtp://mail.lan:465/?fromaddress=a@lan&toaddresses=b@lan")
        guard case .smtp(let smtp) = config.service else { Issue.record("not smtp"); return }
        #expect(smtp.encryption == .implicit && smtp.auth == .none && smtp.username == nil)
    }

    @Test(arguments: [
        ("", "url"), ("mail.lan", "scheme"), ("smtps://x", "scheme"), ("irc://x", "scheme"),
        ("smtp:///?from=a@b&to=c@d", "host"), ("smtp://h/?to=c@d", "from"), ("smtp://h/?from=a@b", "to"),
        ("smtp://h/?from=a@b&to=c", "to"), ("smtp://h/?from=a@b&to=c@d%0D%0ARCPT", "to"),
        ("smtp://h/?from=a@b&to=c@d&encryption=maybe", "encryption"), ("smtp://h/?from=a@b&to=c@d&auth=plain", "user"),
        ("smtp://h/?from=a@b&to=c@d&colour=red", "query.colour"),
        ("ntfy://ntfy.sh/", "topic"), ("ntfy://ntfy.sh/a/b", "topic"), ("ntfy://ntfy.sh/t?priority=9", "query.priority"),
        ("gotify://gotify.lan", "token"), ("discord://@123", "token"), ("discord://tok@hooks", "webhook_id"),
        ("slack://hook:a-b@webhook", "token"), ("slack://xoxb:tok@webhook", "channel"), ("slack://bad:tok@C1", "token"),
        ("telegram://nope@telegram?chats=1", "token"), ("telegram://1:a@tg?chats=1", "host"), ("telegram://1:a@telegram", "chats"),
        ("pushover://shoutrrr:@user", "token"), ("pushover://shoutrrr:tok@user/?priority=2", "query.priority"),
        ("matrix://matrix.lan/?rooms=!a:b", "password"), ("matrix://:tok@matrix.lan/", "rooms"),
        ("matrix://:tok@matrix.lan/?rooms=lobby", "rooms"), ("discord://tok@123?apiurl=ftp://x", "query.apiurl"),
        ("ntfy://ntfy.sh/t?insecure=perhaps", "query.insecure"),
    ])
    func malformedURLsNameTheWrongPart(url: String, part: String) {
        do {
            _ = try ChannelURL.parse(url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.part == part, "\(url): \(error)")
        }
    }

    @Test func webhookKeepsPassThroughQueryAndSecret() throws {
        let config = try ChannelURL.parse("generic+https://hooks.lan:8443/api/webhook/UNITYCANARYa1b2c3d4?secret=UNITYCANARY-hmac&team=ops")
        guard case .webhook(let hook) = config.service else { Issue.record("not webhook"); return }
        #expect(hook.url.absoluteString == "https://hooks.lan:8443/api/webhook/UNITYCANARYa1b2c3d4?team=ops")
        #expect(hook.secret == "UNITYCANARY-hmac")
        #expect(config.redactedURL == "generic+https://hooks.lan:8443/***/***/***?team=***&secret=***")
        #expect(try ChannelURL.parse(config.fullURL) == config)
        let plain = try ChannelURL.parse("http://127.0.0.1:9000/hook?token=UNITYCANARY1")
        #expect(!plain.redactedURL.contains("UNITYCANARY"))
    }

    @Test func everyServiceParsesAndRedactsItsSecrets() throws {
        let urls = [
            "ntfy://ana:UNITYCANARY-ntfy@ntfy.lan:8080/alerts?scheme=http&priority=high&tags=lab",
            "ntfy://:tk_UNITYCANARY@ntfy.sh/alerts",
            "gotify://gotify.lan/sub/UNITYCANARYgotify1?disabletls=yes&priority=6",
            "discord://UNITYCANARY-discord@112233445566",
            "slack://hook:T0UNITYCANARY-B0UNITYCANARY-XUNITYCANARY@webhook?botname=unity",
            "slack://xoxb:UNITYCANARY-bot@C0123ABC",
            "slack://T0UNITYCANARY/B0UNITYCANARY/XUNITYCANARY",
            "telegram://123456:UNITYCANARY-telegram@telegram?chats=@ops,-1001",
            "pushover://shoutrrr:UNITYCANARYapp@UNITYCANARYuser/?devices=phone&priority=1",
            "matrix://unity:UNITYCANARY-matrix@matrix.lan:8008/?rooms=!abc:matrix.lan,ops:matrix.lan&disabletls=yes",
            "matrix://:UNITYCANARY-token@matrix.lan/?rooms=!abc:matrix.lan",
            "discord://UNITYCANARY-d@1?apiurl=http://127.0.0.1:9&insecure=yes",
        ]
        for url in urls {
            let config = try ChannelURL.parse(url)
            #expect(!config.redactedURL.contains("UNITYCANARY"), "\(config.redactedURL)")
            #expect(try ChannelURL.parse(config.fullURL) == config, "\(url) → \(config.fullURL)")
            #expect(!config.scrub("error for \(url)").contains("UNITYCANARY"), "\(url)")
        }
    }

    /// No rule tells a word from a short secret: every webhook path segment and query value, the
    /// user part and the ntfy topic are masked; viewers get scheme and host only.
    @Test func everythingThatCanBeASecretIsMasked() throws {
        let hook = try ChannelURL.parse("generic+http://127.0.0.1:9/a/opensesame-x/b?code=hunter2hunter2&token=t0k")
        #expect(hook.redactedURL == "generic+http://127.0.0.1:9/***/***/***?code=***&token=***")
        #expect(hook.summary == "generic+http://127.0.0.1:9")
        #expect(!hook.scrub("POST http://127.0.0.1:9/a/opensesame-x/b?code=hunter2hunter2 refused").contains("opensesame"))
        let withUser = try ChannelURL.parse("https://deadbeef:pw@hooks.lan/x")
        #expect(withUser.redactedURL == "generic+https://***:***@hooks.lan/***" && withUser.summary == "generic+https://hooks.lan")
        let ntfy = try ChannelURL.parse("ntfy://ana:pw@ntfy.sh/my-private-topic?priority=high")
        #expect(ntfy.redactedURL == "ntfy://ana:***@ntfy.sh/***?priority=4" && ntfy.summary == "ntfy://ntfy.sh")
        #expect(!ntfy.scrub("topic my-private-topic unknown").contains("my-private-topic"))
        let proxied = try ChannelURL.parse("telegram://1:abc@telegram?chats=@ops&apiurl=https://u:p@proxy.lan/s3cr3t")
        #expect(!proxied.redactedURL.contains("s3cr3t") && !proxied.redactedURL.contains("u:p"), "\(proxied.redactedURL)")
        for url in ["ntfy://ntfy.sh/a", "discord://tok@123", "pushover://shoutrrr:app@user/", "gotify://g.lan/tok"] {
            let config = try ChannelURL.parse(url)
            #expect(ChannelConfig.tightenRedacted(config.redactedURL) == config.redactedURL, "\(url) is already current")
        }
    }

    @Test func serviceSpecificFields() throws {
        let ntfy = try ChannelURL.parse("ntfy://ana:pw@127.0.0.1:8080/alerts?scheme=http&priority=high")
        guard case .ntfy(let n) = ntfy.service else { Issue.record("not ntfy"); return }
        #expect(n.server.absoluteString == "http://127.0.0.1:8080" && n.topic == "alerts" && n.priority == 4)
        let tg = try ChannelURL.parse("telegram://123456:ABC-def@telegram?chats=@ops,-1001&apiurl=http://127.0.0.1:1/")
        guard case .telegram(let t) = tg.service else { Issue.record("not telegram"); return }
        #expect(t.botToken == "123456:ABC-def" && t.chats == ["@ops", "-1001"] && t.apiBase.absoluteString == "http://127.0.0.1:1")
        let slack = try ChannelURL.parse("slack://hook:T1-B2-X3@webhook")
        guard case .slack(let s) = slack.service else { Issue.record("not slack"); return }
        #expect(s.mode == .webhook && s.token == "T1/B2/X3")
        let matrix = try ChannelURL.parse("matrix://:tok@m.lan/?rooms=ops:m.lan")
        guard case .matrix(let m) = matrix.service else { Issue.record("not matrix"); return }
        #expect(m.rooms == ["#ops:m.lan"] && m.user == nil && m.server.absoluteString == "https://m.lan")
        #expect(try ChannelURL.parse("ntfy://ntfy.sh/t?insecure=yes").tls.verify == false)
    }
}
