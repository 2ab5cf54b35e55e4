import Foundation
import Testing
import UnityTestSupport
@testable import UnityAlerts

/// The SMTP client against aiosmtpd on loopback, with a self-signed certificate the sink
/// generates and the client trusts through the channel's CA option.
@Suite(.serialized) struct SMTPChannelTests {
    static let password = "UNITYCANARY-smtp pw"

    static func message() -> RenderedMessage {
        RenderedMessage(
            event: .fired, title: "[critical] Pool degraded on nas\r\nBcc: evil@x", body: "Pool tank is DEGRADED.\n.hidden line starts with a dot\n..two dots\nGrüße",
            severity: .critical, link: "https://unity.lan/alerts/1", alerts: []
        )
    }

    func sink(_ mode: String, _ body: (Peer, ChannelTLS) async throws -> Void) async throws {
        try await withPeer(smtp: true, script: "smtp_sink.py", arguments: ["--certdir", "$DIR", "--mode", mode, "--user", "unity", "--password", Self.password]) { peer in
            let pem = try String(contentsOf: peer.directory.appending(path: "ca.pem"), encoding: .utf8)
            try await body(peer, ChannelTLS(trustedCAPEM: pem))
        }
    }

    func url(_ port: Int, _ query: String, password: String = Self.password) -> String {
        let pw = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "smtp://unity:\(pw)@127.0.0.1:\(port)/?from=unity@lab.lan&to=ana@lab.lan,bo@lab.lan&fromname=Unity%20Alerts&\(query)"
    }

    func send(_ url: String, tls: ChannelTLS, client: SMTPClient = SMTPClient(connectTimeout: .seconds(5), commandTimeout: .seconds(5))) async throws -> DeliveryResult {
        let config = try ChannelURL.parse(url, tls: tls)
        guard case .smtp(let smtp) = config.service else { throw PeerError(description: "not smtp") }
        let id = UUID(uuidString: "aaaaaaaa-0000-4000-8000-000000000001") ?? UUID()
        return await client.send(Self.message(), config: smtp, tls: config.tls, messageID: id, date: t0).scrubbed(by: config)
    }

    @Test(arguments: ["plain", "login"])
    func startTLSThenAuthDeliversWithProperHeaders(auth: String) async throws {
        try await sink("starttls") { peer, tls in
            let result = try await send(url(peer.port, "encryption=starttls&auth=\(auth)"), tls: tls)
            #expect(result.ok, "\(result)")
            #expect(result.smtpReply == "250 2.0.0 Ok: queued as UNITYTEST")
            let mail = try #require(try await peer.records(atLeast: 1).first)
            #expect(mail["tls"] as? Bool == true && mail["authenticated"] as? Bool == true && mail["auth_user"] as? String == "unity")
            #expect(mail["mail_from"] as? String == "unity@lab.lan" && mail["rcpt_tos"] as? [String] == ["ana@lab.lan", "bo@lab.lan"])
            let headers = try #require(mail["headers"] as? [String: String])
            #expect(headers["Subject"] == "[critical] Pool degraded on nas Bcc: evil@x" && headers["Bcc"] == nil)
            #expect(headers["From"] == "Unity Alerts <unity@lab.lan>" && headers["To"] == "ana@lab.lan, bo@lab.lan")
            #expect(headers["Date"] == "Fri, 15 Jan 2027 08:00:00 +0000")
            #expect(headers["Message-ID"] == "<aaaaaaaa-0000-4000-8000-000000000001@lab.lan>")
            #expect(headers["Content-Type"] == "text/plain; charset=\"utf-8\"" || headers["Content-Type"] == "text/plain; charset=utf-8")
            #expect(headers["Auto-Submitted"] == "auto-generated" && headers["X-Unity-Event"] == "fired")
            let body = (mail["body"] as? String ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            #expect(body == "Pool tank is DEGRADED.\n.hidden line starts with a dot\n..two dots\nGrüße\n")
            #expect((mail["raw"] as? String)?.contains(Self.password) == false)
        }
    }

    @Test func implicitTLS() async throws {
        try await sink("implicit") { peer, tls in
            let result = try await send(url(peer.port, "encryption=implicit"), tls: tls)
            #expect(result.ok, "\(result)")
            let mail = try #require(try await peer.records(atLeast: 1).first)
            #expect(mail["tls"] as? Bool == true && mail["authenticated"] as? Bool == true)
        }
    }

    @Test func verificationIsOnByDefaultAndCanBeSkippedExplicitly() async throws {
        try await sink("starttls") { peer, _ in
            let refused = try await send(url(peer.port, "encryption=starttls"), tls: .default)
            #expect(!refused.ok && peer.records().isEmpty)
            #expect(refused.error?.lowercased().contains("certificate") == true || refused.error?.contains("handshake") == true, "\(refused)")
            let skipped = try await send(url(peer.port, "encryption=starttls&insecure=yes"), tls: .default)
            #expect(skipped.ok, "\(skipped)")
        }
    }

    @Test func aWrongPasswordIsAPermanentFailureWithTheServersReply() async throws {
        try await sink("starttls") { peer, tls in
            let wrong = url(peer.port, "encryption=starttls", password: "UNITYCANARY-wrong")
            let result = try await send(wrong, tls: tls)
            #expect(!result.ok && !result.retryable)
            #expect(result.smtpReply?.hasPrefix("535") == true, "\(result)")
            #expect(result.error?.contains("AUTH PLAIN refused: 535") == true)
            #expect(result.error?.contains("UNITYCANARY") == false)
        }
    }

    @Test func aServerWithoutSTARTTLSIsRefusedUnlessCleartextIsAskedFor() async throws {
        try await withPeer(smtp: true, script: "smtp_sink.py", arguments: ["--certdir", "$DIR", "--mode", "plain"]) { peer in
            let base = "smtp://127.0.0.1:\(peer.port)/?from=unity@lab.lan&to=ana@lab.lan"
            let refused = try await send(base + "&encryption=starttls", tls: .default)
            #expect(!refused.ok && !refused.retryable && refused.error?.contains("STARTTLS") == true)
            let cleartext = try await send(base + "&encryption=none", tls: .default)
            #expect(cleartext.ok, "\(cleartext)")
            #expect(try await peer.records(atLeast: 1).first?["tls"] as? Bool == false)
        }
    }

    @Test func aSilentServerTimesOutNamingTheStage() async throws {
        // The HTTP receiver accepts TCP and waits for a request: an SMTP server that never greets.
        try await withPeer(script: "http_receiver.py") { peer in
            let started = Date()
            let result = try await send("smtp://127.0.0.1:\(peer.port)/?from=a@b.c&to=d@e.f&encryption=none", tls: .default,
                                        client: SMTPClient(connectTimeout: .seconds(2), commandTimeout: .milliseconds(500)))
            #expect(!result.ok && result.retryable && result.error == "timed out waiting for the server (greeting)")
            #expect(Date().timeIntervalSince(started) < 3)
        }
    }

    @Test func dataIsDotStuffedAndTerminated() {
        #expect(SMTPMessage.dataPayload("a\n.b\r\n..c") == "a\r\n..b\r\n...c\r\n.\r\n")
        #expect(SMTPMessage.encodeWord("Grüße") == "=?UTF-8?B?R3LDvMOfZQ==?=")
    }
}
