import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
#if canImport(Glibc)
import Glibc
#endif

/// What Unity needs to reach a daemon started with `dockerd --tlsverify`: the CA that signed the
/// daemon's certificate, and Unity's client certificate and key (PEM, from the credentials area).
/// The key is only held in memory for the TLS context; it is never part of descriptions or errors.
public struct ContainerTLSConfiguration: Sendable {
    public var caPEM: String
    public var clientCertificatePEM: String?
    public var clientKeyPEM: String?
    /// The name the daemon's certificate must carry; nil: the host given to the transport (an IP
    /// address is then checked against the certificate's IP SANs).
    public var serverName: String?

    public init(caPEM: String, clientCertificatePEM: String?, clientKeyPEM: String?, serverName: String? = nil) {
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.serverName = serverName
    }
}

/// `tcp://host:2376` with TLS: the daemon's certificate is verified against the configured CA and
/// host name, Unity authenticates with its client certificate. The handshake is finished before
/// `openStream` returns, so trust problems surface as their own errors, not as a broken stream.
public struct TLSSocketTransport: ContainerTransport {
    public let host: String
    public let port: Int
    public let connectTimeout: TimeAmount
    private let context: NIOSSLContext
    private let serverName: String?

    public init(host: String, port: Int, tls: ContainerTLSConfiguration, connectTimeout: TimeAmount = .seconds(5)) throws(ContainerEngineError) {
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .fullVerification
        do {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(tls.caPEM.utf8)))
        } catch {
            throw .tlsConfigurationInvalid(reason: "the CA certificate is not PEM")
        }
        if let certificate = tls.clientCertificatePEM, let key = tls.clientKeyPEM {
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)).map { .certificate($0) }
            } catch {
                throw .tlsConfigurationInvalid(reason: "the client certificate is not PEM")
            }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
            } catch {
                throw .tlsConfigurationInvalid(reason: "the client key is not a PEM private key")
            }
        }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsConfigurationInvalid(reason: "the client certificate and key do not belong together")
        }
        // SNI cannot carry an IP address; NIOSSL then checks the IP SANs against the peer address.
        let name = tls.serverName ?? host
        serverName = name.isIPAddressLiteral ? nil : name
    }

    public var endpointDescription: String { "tcp://\(host):\(port) (TLS)" }

    public func openStream() async throws -> any ContainerByteStream {
        let endpoint = endpointDescription
        let handler = ByteStreamHandler()
        let handshake = TLSHandshakeWaiter()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(connectTimeout)
                .channelOption(ChannelOptions.autoRead, value: false)
                .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                .channelInitializer { [context, serverName] channel in
                    channel.eventLoop.makeCompletedFuture {
                        let tls = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandlers([tls, handshake, handler])
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch {
            throw TCPTransportErrors.connectError(error, endpoint: endpoint)
        }
        do {
            try await handshake.completed(on: channel, timeout: connectTimeout)
        } catch {
            try? await channel.close()
            throw TCPTransportErrors.tlsError(error, endpoint: endpoint)
        }
        return TLSByteStream(base: SocketByteStream(channel: channel, handler: handler), endpoint: endpoint)
    }
}

/// `tcp://host:2375` without TLS: anyone on the network can run containers as root through it,
/// so it only exists with an explicit opt-in.
public struct PlainTCPTransport: ContainerTransport {
    public let host: String
    public let port: Int
    public let connectTimeout: TimeAmount

    public init(host: String, port: Int, allowInsecure: Bool, connectTimeout: TimeAmount = .seconds(5)) throws(ContainerEngineError) {
        guard allowInsecure else { throw .insecureTransportNotAllowed(endpoint: "tcp://\(host):\(port)") }
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
    }

    public var endpointDescription: String { "tcp://\(host):\(port) (insecure)" }

    public func openStream() async throws -> any ContainerByteStream {
        let handler = ByteStreamHandler()
        do {
            let channel = try await SocketBootstrap.client(handler, connectTimeout: connectTimeout)
                .connect(host: host, port: port)
                .get()
            return SocketByteStream(channel: channel, handler: handler)
        } catch {
            throw TCPTransportErrors.connectError(error, endpoint: endpointDescription)
        }
    }
}

/// A TLS connection's reads: NIOSSL's errors (a TLS 1.3 server rejects the client certificate
/// only after the client finished its handshake, so that alert arrives with the first read)
/// become domain errors.
final class TLSByteStream: ContainerByteStream {
    private let base: SocketByteStream
    private let endpoint: String

    init(base: SocketByteStream, endpoint: String) {
        self.base = base
        self.endpoint = endpoint
    }

    func write(_ bytes: [UInt8]) async throws {
        do { try await base.write(bytes) } catch {
            // A TLS alert may have closed the channel first: that alert is the cause, not the write.
            do { _ = try await base.read() } catch { throw TCPTransportErrors.tlsError(error, endpoint: endpoint) }
            throw TCPTransportErrors.tlsError(error, endpoint: endpoint)
        }
    }

    func closeWrite() async throws {
        try await base.closeWrite()
    }

    func read() async throws -> [UInt8]? {
        do { return try await base.read() } catch is CancellationError { throw CancellationError() } catch {
            throw TCPTransportErrors.tlsError(error, endpoint: endpoint)
        }
    }

    func close() async {
        await base.close()
    }
}

/// Resolves once NIOSSL reports the handshake done; fails with the first error or a close before.
final class TLSHandshakeWaiter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    // Touched on the channel's event loop only.
    private var promise: EventLoopPromise<Void>?
    private var outcome: Result<Void, any Error>?

    /// Waits at most `timeout` (a peer that accepts TCP but never answers the ClientHello).
    func completed(on channel: any Channel, timeout: TimeAmount) async throws {
        try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
            if let outcome = self.outcome { return channel.eventLoop.makeCompletedFuture(outcome) }
            let promise = channel.eventLoop.makePromise(of: Void.self)
            self.promise = promise
            channel.eventLoop.scheduleTask(in: timeout) { self.settle(.failure(ChannelError.connectTimeout(timeout))) }
            return promise.futureResult
        }.get()
    }

    private func settle(_ result: Result<Void, any Error>) {
        guard outcome == nil else { return }
        outcome = result
        promise?.completeWith(result)
        promise = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        // With autoRead off nobody asks for the server's first flight; NIOSSL keeps reading by
        // itself after that until the handshake is done.
        context.read()
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { settle(.success(())) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        settle(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        settle(.failure(NIOSSLError.uncleanShutdown))
        context.fireChannelInactive()
    }
}

enum TCPTransportErrors {
    static func connectError(_ error: any Error, endpoint: String) -> ContainerEngineError {
        if case ChannelError.connectTimeout = error { return .timeout(endpoint: endpoint) }
        let text = String(describing: error)
        if text.contains("refused") || (error as? IOError)?.errnoCode == ECONNREFUSED {
            return .daemonDown(endpoint: endpoint, reason: "connection refused")
        }
        return .daemonDown(endpoint: endpoint, reason: String(text.prefix(200)))
    }

    /// BoringSSL's reason codes → which side distrusts which certificate.
    static func tlsError(_ error: any Error, endpoint: String) -> ContainerEngineError {
        if let error = error as? ContainerEngineError { return error }
        if case ChannelError.connectTimeout = error { return .timeout(endpoint: endpoint) }
        let text = String(describing: error)
        let upper = text.uppercased()
        if error is NIOSSLExtraError || upper.contains("CERTIFICATE_VERIFY_FAILED") {
            return .tlsServerNotTrusted(endpoint: endpoint, reason: "certificate verify failed")
        }
        for alert in ["CERTIFICATE_REQUIRED", "BAD_CERTIFICATE", "UNKNOWN_CA", "CERTIFICATE_UNKNOWN", "HANDSHAKE_FAILURE"]
            where upper.contains(alert) {
            return .tlsClientCertificateRejected(endpoint: endpoint, reason: "the daemon sent the TLS alert \(alert.lowercased())")
        }
        if upper.contains("WRONG_VERSION_NUMBER") {
            return .invalidResponse(reason: "\(endpoint) does not speak TLS (is it the plain-TCP port 2375?)")
        }
        if let sslError = error as? NIOSSLError, case .uncleanShutdown = sslError {
            return .streamInterrupted(endpoint: endpoint, reason: "the connection closed without a TLS close_notify")
        }
        return .streamInterrupted(endpoint: endpoint, reason: String(text.prefix(200)))
    }
}

extension String {
    /// IPv4 dotted quad or anything with a colon (IPv6).
    var isIPAddressLiteral: Bool {
        if contains(":") { return true }
        let parts = split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) }
    }
}
