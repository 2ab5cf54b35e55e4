import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// HTTP-01 served by Unity itself: a minimal HTTP/1.1 server answering only
/// `GET /.well-known/acme-challenge/<token>` with the key authorization (RFC 8555 §8.3).
/// Port 80 (or a port the reverse proxy forwards there) in production; any port in tests.
public final class HTTP01Server: ChallengeSolver, @unchecked Sendable {
    public let challengeType = "http-01"
    public let host: String
    public let requestedPort: Int
    private let tokens = LockedBox<[String: String]>([:])
    private let channel = LockedBox<(any Channel)?>(nil)

    public init(host: String = "0.0.0.0", port: Int = 80) {
        self.host = host
        self.requestedPort = port
    }

    /// The port actually bound (differs from `requestedPort` when that was 0).
    public var port: Int? {
        channel.withLock { $0?.localAddress?.port }
    }

    /// Tokens currently served (tests check that clean-up ran).
    var tokenCountForTesting: Int { tokens.withLock { $0.count } }

    public func start() async throws {
        let tokens = self.tokens
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(ChallengeHandler(tokens: tokens))
                }
            }
        let bound = try await bootstrap.bind(host: host, port: requestedPort).get()
        channel.withLock { $0 = bound }
    }

    public func stop() async {
        let bound = channel.withLock { value -> (any Channel)? in
            defer { value = nil }
            return value
        }
        try? await bound?.close()
    }

    public func present(_ task: ChallengeTask) async throws {
        tokens.withLock { $0[task.token] = task.keyAuthorization }
    }

    public func cleanUp(_ task: ChallengeTask) async {
        _ = tokens.withLock { $0.removeValue(forKey: task.token) }
    }
}

private final class ChallengeHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let prefix = "/.well-known/acme-challenge/"
    private let tokens: LockedBox<[String: String]>
    private var head: HTTPRequestHead?

    init(tokens: LockedBox<[String: String]>) { self.tokens = tokens }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead): head = requestHead
        case .body: break
        case .end:
            guard let requestHead = head else { return }
            head = nil
            respond(context: context, to: requestHead)
        }
    }

    private func respond(context: ChannelHandlerContext, to request: HTTPRequestHead) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        var body = "not found\n"
        var status = HTTPResponseStatus.notFound
        if request.method == .GET || request.method == .HEAD, path.hasPrefix(Self.prefix) {
            let token = String(path.dropFirst(Self.prefix.count))
            if let answer = tokens.withLock({ $0[token] }) {
                body = answer
                status = .ok
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                      promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        }
        // Close once the response is on the wire; the Channel (unlike the context) is Sendable.
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
