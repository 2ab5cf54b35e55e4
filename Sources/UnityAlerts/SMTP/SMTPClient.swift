import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP submission client on SwiftNIO: EHLO, STARTTLS or implicit TLS, AUTH PLAIN/LOGIN,
/// MAIL/RCPT/DATA, QUIT. One connection per message: alert mail is rare and a fresh connection
/// means no state to go stale between storms.
public struct SMTPClient: Sendable {
    public var connectTimeout: TimeAmount
    public var commandTimeout: TimeAmount

    public init(connectTimeout: TimeAmount = .seconds(10), commandTimeout: TimeAmount = .seconds(30)) {
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    public func send(_ message: RenderedMessage, config: SMTPChannel, tls: ChannelTLS, messageID: UUID, date: Date = Date()) async -> DeliveryResult {
        do {
            let reply = try await deliver(message, config: config, tls: tls, messageID: messageID, date: date)
            return DeliveryResult(ok: true, smtpReply: reply.description)
        } catch let error as SMTPError {
            return DeliveryResult(ok: false, smtpReply: error.reply?.description, error: error.description, retryable: error.retryable)
        } catch {
            return DeliveryResult(ok: false, error: "SMTP \(config.host):\(config.port): \(error)")
        }
    }

    /// Returns the server's reply to the end of DATA (the queue id people grep logs for).
    func deliver(_ message: RenderedMessage, config: SMTPChannel, tls: ChannelTLS, messageID: UUID, date: Date) async throws -> SMTPReply {
        let sslContext = config.encryption == .none ? nil : try NIOSSLContext(configuration: ChannelSender.tlsConfiguration(tls))
        let sni = Self.isIPAddress(config.host) ? nil : config.host
        let implicit = config.encryption == .implicit
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .connect(host: config.host, port: config.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicit, let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: sni))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let raw = channel.channel
        return try await channel.executeThenClose { inbound, outbound in
            var smtp = Conversation(replies: inbound.makeAsyncIterator(), outbound: outbound, channel: raw, timeout: commandTimeout)
            _ = try await smtp.read(expect: 220, stage: "greeting")
            var ehlo = try await smtp.command("EHLO \(config.heloName)", expect: 250, stage: "EHLO")
            if config.encryption == .starttls, let sslContext {
                guard ehlo.supports("STARTTLS") else {
                    throw SMTPError.unsupported("the server does not offer STARTTLS (set encryption=none to send in cleartext)")
                }
                _ = try await smtp.command("STARTTLS", expect: 220, stage: "STARTTLS")
                try await raw.eventLoop.submit {
                    let handler = try NIOSSLClientHandler(context: sslContext, serverHostname: sni)
                    try raw.pipeline.syncOperations.addHandler(handler, position: .first)
                }.get()
                // RFC 3207: forget everything learned before TLS and ask again.
                ehlo = try await smtp.command("EHLO \(config.heloName)", expect: 250, stage: "EHLO after STARTTLS")
            }
            try await authenticate(&smtp, ehlo: ehlo, config: config)
            let eightBit = ehlo.supports("8BITMIME")
            _ = try await smtp.command("MAIL FROM:<\(config.from)>" + (eightBit ? " BODY=8BITMIME" : ""), expect: 250, stage: "MAIL FROM")
            for recipient in config.to {
                _ = try await smtp.command("RCPT TO:<\(recipient)>", expect: 250...251, stage: "RCPT TO <\(recipient)>")
            }
            _ = try await smtp.command("DATA", expect: 354, stage: "DATA")
            let text = SMTPMessage.build(message, config: config, messageID: messageID, date: date, eightBit: eightBit)
            let accepted = try await smtp.write(SMTPMessage.dataPayload(text), expect: 250...250, stage: "message body")
            // The message is queued; a failed QUIT changes nothing.
            _ = try? await smtp.command("QUIT", expect: 221, stage: "QUIT")
            return accepted
        }
    }

    private func authenticate(_ smtp: inout Conversation, ehlo: SMTPReply, config: SMTPChannel) async throws {
        guard config.auth != .none, let user = config.username, let password = config.password else { return }
        guard ehlo.supports("AUTH") else { throw SMTPError.unsupported("the server does not offer AUTH (set auth=none)") }
        switch config.auth {
        case .plain:
            let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
            _ = try await smtp.command("AUTH PLAIN \(token)", expect: 235, stage: "AUTH PLAIN")
        case .login:
            _ = try await smtp.command("AUTH LOGIN", expect: 334, stage: "AUTH LOGIN")
            _ = try await smtp.command(Data(user.utf8).base64EncodedString(), expect: 334, stage: "AUTH LOGIN user")
            _ = try await smtp.command(Data(password.utf8).base64EncodedString(), expect: 235, stage: "AUTH LOGIN password")
        case .none:
            return
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}


/// Command/reply turns on one connection, each bounded by `timeout`: on expiry the channel is
/// closed, which ends the reply stream and turns into `SMTPError.timeout`.
struct Conversation {
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel
    let timeout: TimeAmount

    mutating func command(_ line: String, expect code: Int, stage: String) async throws -> SMTPReply {
        try await write(line + "\r\n", expect: code...code, stage: stage)
    }

    mutating func command(_ line: String, expect codes: ClosedRange<Int>, stage: String) async throws -> SMTPReply {
        try await write(line + "\r\n", expect: codes, stage: stage)
    }

    mutating func write(_ text: String, expect codes: ClosedRange<Int>, stage: String) async throws -> SMTPReply {
        do {
            try await outbound.write(ByteBuffer(string: text))
        } catch {
            // "I/O on closed channel" hides the cause (a failed TLS handshake, a reset); the
            // inbound stream carries the real error, so surface that one.
            do {
                _ = try await replies.next()
            } catch let cause {
                throw SMTPError.transport(stage: stage, String(describing: cause))
            }
            throw SMTPError.transport(stage: stage, String(describing: error))
        }
        return try await read(expect: codes, stage: stage)
    }

    mutating func read(expect code: Int, stage: String) async throws -> SMTPReply {
        try await read(expect: code...code, stage: stage)
    }

    mutating func read(expect codes: ClosedRange<Int>, stage: String) async throws -> SMTPReply {
        let timedOut = NIOLockedValueBox(false)
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            timedOut.withLockedValue { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        let reply: SMTPReply?
        do {
            reply = try await replies.next()
        } catch let error as SMTPError {
            throw error
        } catch {
            if timedOut.withLockedValue({ $0 }) { throw SMTPError.timeout(stage: stage) }
            throw SMTPError.transport(stage: stage, String(describing: error))
        }
        guard let reply else {
            throw timedOut.withLockedValue({ $0 }) ? SMTPError.timeout(stage: stage) : SMTPError.closed(stage: stage)
        }
        guard codes.contains(reply.code) else { throw SMTPError.rejected(stage: stage, reply: reply) }
        return reply
    }
}
