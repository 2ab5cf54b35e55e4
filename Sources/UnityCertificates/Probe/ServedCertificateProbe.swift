import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// What a TLS endpoint presented, in the order it sent it (leaf first, as the server sent it).
public struct ServedCertificates: Sendable {
    public var host: String
    public var port: Int
    public var serverName: String?
    /// Exactly what the server sent. A server sending its chain in the wrong order shows here as is.
    public var presented: [ParsedCertificate]
    /// The negotiated protocol, e.g. "TLSv1.3".
    public var tlsVersion: String?

    /// The certificate the server uses: the first one it presents.
    public var leaf: ParsedCertificate? { presented.first }
}

/// Connects to a TLS server and records the certificate chain it presents.
///
/// Verification is off on purpose: the probe inventories what is served (expired, self-signed,
/// wrong name and all), it never trusts the peer nor sends it anything after the handshake.
public struct ServedCertificateProbe: Sendable {
    public var group: any EventLoopGroup

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
    }

    /// - Parameters:
    ///   - serverName: SNI to send (virtual hosts choose their certificate by it). An IP literal is
    ///     never sent as SNI (RFC 6066 forbids it), the handshake then runs without SNI.
    ///   - timeout: bounds connect and handshake together.
    public func probe(
        host: String, port: Int, serverName: String? = nil, timeout: Duration = .seconds(5)
    ) async throws(CertificateError) -> ServedCertificates {
        var configuration = TLSConfiguration.makeClientConfiguration()
        // .none would skip the callback that hands us the presented chain; the callback below
        // accepts everything, which turns verification off while still seeing the chain.
        configuration.certificateVerification = .noHostnameVerification
        let sni = serverName.flatMap { IPAddressText.parse($0) == nil && !$0.isEmpty ? $0 : nil }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            throw .probeFailed("cannot create a TLS context: \(error)")
        }
        let result: ProbeResult
        do {
            result = try await connect(host: host, port: port, sni: sni, context: context, timeout: timeout)
        } catch let error as CertificateError {
            throw error
        } catch let error as ChannelError {
            if case .connectTimeout = error { throw .probeTimedOut(host: host, port: port) }
            throw .probeFailed("\(host):\(port): \(error)")
        } catch {
            throw .probeFailed("\(host):\(port): \(error)")
        }
        var presented: [ParsedCertificate] = []
        for (index, der) in result.chain.enumerated() {
            presented.append(try ParsedCertificate(der: der, index: index))
        }
        return ServedCertificates(host: host, port: port, serverName: sni, presented: presented, tlsVersion: result.version)
    }

    private struct ProbeResult: Sendable {
        var chain: [[UInt8]]
        var version: String?
    }

    private func connect(
        host: String, port: Int, sni: String?, context: NIOSSLContext, timeout: Duration
    ) async throws -> ProbeResult {
        let eventLoop = group.next()
        let chainPromise = eventLoop.makePromise(of: [[UInt8]].self)
        let handshakePromise = eventLoop.makePromise(of: String?.self)
        // Every exit completes both promises (NIO reports a promise left pending as a leak);
        // completing an already completed promise is a no-op.
        defer {
            chainPromise.fail(CertificateError.probeFailed("no certificate presented"))
            handshakePromise.fail(CertificateError.probeFailed("connection failed"))
        }
        let timeoutAmount = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
            + Int64(timeout.components.attoseconds / 1_000_000_000))
        let channel = try await ClientBootstrap(group: eventLoop)
            .connectTimeout(timeoutAmount)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: context, serverHostname: sni
                    ) { (certificates: [NIOSSLCertificate], promise: EventLoopPromise<NIOSSLVerificationResult>) in
                        chainPromise.succeed(certificates.compactMap { try? $0.toDERBytes() })
                        promise.succeed(.certificateVerified)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshakePromise))
                }
            }
            .connect(host: host, port: port).get()
        let deadline = eventLoop.scheduleTask(in: timeoutAmount) {
            handshakePromise.fail(CertificateError.probeTimedOut(host: host, port: port))
        }
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        let version = try await handshakePromise.futureResult.get()
        // The callback ran during the handshake, so the chain is already there.
        let chain = try await chainPromise.futureResult.get()
        return ProbeResult(chain: chain, version: version)
    }
}

/// Completes `promise` when the TLS handshake finishes, or fails it on the first error or close.
private final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    let promise: EventLoopPromise<String?>

    init(promise: EventLoopPromise<String?>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            let version = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).tlsVersion
            promise.succeed(version.flatMap { $0 }.map(Self.name))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(CertificateError.probeFailed("connection closed during the TLS handshake"))
        context.fireChannelInactive()
    }

    static func name(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }
}
