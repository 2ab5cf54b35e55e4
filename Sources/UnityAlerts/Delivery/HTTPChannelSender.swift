import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// Delivers over HTTP with AsyncHTTPClient and over SMTP with `SMTPClient`. One instance is
/// shared by the app; `shutdown()` must be awaited before exit.
public actor ChannelSender: NotificationSender {
    private let defaultClient: HTTPClient
    /// Channels with their own TLS trust get their own client, created on first use.
    private var customClients: [ChannelTLS: HTTPClient] = [:]
    /// Access tokens from Matrix password logins, per (server, user).
    var matrixTokens: [String: String] = [:]
    public let timeout: TimeAmount
    private let smtp: SMTPClient

    public init(timeout: TimeAmount = .seconds(15)) {
        self.timeout = timeout
        defaultClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(tls: nil, timeout: timeout))
        smtp = SMTPClient(commandTimeout: timeout)
    }

    public func shutdown() async {
        try? await defaultClient.shutdown()
        for client in customClients.values { try? await client.shutdown() }
        customClients = [:]
    }

    public func send(_ message: RenderedMessage, to channel: ChannelConfig, deliveryID: UUID) async -> DeliveryResult {
        let result: DeliveryResult
        switch channel.service {
        case .smtp(let config):
            result = await smtp.send(message, config: config, tls: channel.tls, messageID: deliveryID)
        case .matrix(let config):
            result = await sendMatrix(message, config: config, tls: channel.tls, deliveryID: deliveryID)
        default:
            do {
                let client = try self.client(for: channel.tls)
                var last = DeliveryResult(ok: false, error: "nothing to send", retryable: false)
                for request in HTTPRequests.build(channel.service, message: message) {
                    last = try await execute(request, client: client)
                    if !last.ok { break }
                }
                result = last
            } catch {
                result = DeliveryResult(ok: false, error: Self.describe(error))
            }
        }
        return result.scrubbed(by: channel)
    }

    func client(for tls: ChannelTLS) throws -> HTTPClient {
        if tls == .default { return defaultClient }
        if let client = customClients[tls] { return client }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(tls: try Self.tlsConfiguration(tls), timeout: timeout))
        customClients[tls] = client
        return client
    }

    func execute(_ request: OutboundRequest, client: HTTPClient) async throws -> DeliveryResult {
        let (status, body) = try await perform(request, client: client)
        guard (200..<300).contains(status) else { return .http(status, error: "HTTP \(status): \(Self.snippet(body))") }
        if request.expectsOKField, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], object["ok"] as? Bool == false {
            let reason = object["error"] as? String ?? object["description"] as? String ?? "ok=false"
            return DeliveryResult(ok: false, httpStatus: status, error: "rejected: \(reason)", retryable: false)
        }
        return .http(status)
    }

    func perform(_ request: OutboundRequest, client: HTTPClient) async throws -> (Int, Data) {
        var http = HTTPClientRequest(url: request.url.absoluteString)
        // NIOHTTP1 is not a direct dependency of this module; the three verbs we use suffice.
        switch request.method {
        case "PUT": http.method = .PUT
        case "GET": http.method = .GET
        default: http.method = .POST
        }
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        http.body = .bytes(ByteBuffer(bytes: request.body))
        let response = try await client.execute(http, timeout: timeout)
        // A receiver's reply is only read for error messages; 64 KiB is plenty.
        let buffer = try await response.body.collect(upTo: 64 * 1024)
        return (Int(response.status.code), Data(buffer.readableBytesView))
    }

    static func configuration(tls: TLSConfiguration?, timeout: TimeAmount) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(5), read: timeout))
        configuration.httpVersion = .http1Only
        return configuration
    }

    static func tlsConfiguration(_ tls: ChannelTLS) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !tls.verify {
            configuration.certificateVerification = .none
        } else if let pem = tls.trustedCAPEM {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        }
        return configuration
    }

    static func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "(empty body)" : text
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "HTTP client: \(error)" }
        return String(describing: error)
    }
}
