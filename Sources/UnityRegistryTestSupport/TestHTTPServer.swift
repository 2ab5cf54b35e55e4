import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP/1.1 server on 127.0.0.1 that records every request and answers from a closure: the
/// test token server, and the labelled fakes for what a real registry cannot be made to do (a 429).
public final class TestHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var uri: String
        public var headers: [(String, String)]

        public func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }

        public var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }

        /// Every value of a query parameter, percent-decoded.
        public func query(_ name: String) -> [String] {
            (URLComponents(string: uri)?.queryItems ?? []).filter { $0.name == name }.compactMap(\.value)
        }
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public static func json(_ object: Any, status: Int = 200) -> Response {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return Response(status: status, headers: [("Content-Type", "application/json")], body: data)
        }
    }

    public typealias Handler = @Sendable (Request) -> Response

    public let port: Int
    private let channel: any Channel
    private let recorded: NIOLockedValueBox<[Request]>

    private init(port: Int, channel: any Channel, recorded: NIOLockedValueBox<[Request]>) {
        self.port = port
        self.channel = channel
        self.recorded = recorded
    }

    /// Listens on 127.0.0.1 on a port the kernel picks (no probe-then-bind race).
    public static func start(_ handler: @escaping Handler) throws -> TestHTTPServer {
        let recorded = NIOLockedValueBox<[Request]>([])
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(Connection(handler: handler, recorded: recorded))
                }
            }
        let channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        guard let port = channel.localAddress?.port else { throw RegistryTestSupportError("test HTTP server has no port") }
        return TestHTTPServer(port: port, channel: channel, recorded: recorded)
    }

    public var requests: [Request] { recorded.withLockedValue { $0 } }
    public var requestCount: Int { recorded.withLockedValue { $0.count } }

    public func stop() {
        try? channel.close().wait()
    }

    private final class Connection: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let handler: Handler
        let recorded: NIOLockedValueBox<[Request]>
        var head: HTTPRequestHead?

        init(handler: @escaping Handler, recorded: NIOLockedValueBox<[Request]>) {
            self.handler = handler
            self.recorded = recorded
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                let request = Request(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) })
                recorded.withLockedValue { $0.append(request) }
                let response = handler(request)
                var headers = HTTPHeaders(response.headers)
                headers.replaceOrAdd(name: "Content-Length", value: "\(response.body.count)")
                headers.replaceOrAdd(name: "Connection", value: "close")
                let status = HTTPResponseStatus(statusCode: response.status)
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                if head.method != .HEAD, !response.body.isEmpty {
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
                self.head = nil
            }
        }
    }
}

public struct RegistryTestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
