import NIOCore
import NIOPosix
import UnityCore
#if canImport(Glibc)
import Glibc
#endif

/// The engine's API socket on this machine (Unity running on the container host itself): Docker's
/// `/var/run/docker.sock`, rootful Podman's `/run/podman/podman.sock`, rootless Podman's
/// `$XDG_RUNTIME_DIR/podman/podman.sock`, or any configured path.
/// The client bootstrap every socket transport uses (unix, plain TCP): one `ByteStreamHandler`,
/// half-close allowed, and reads only when the client asks, so a slow log consumer holds the engine
/// back instead of filling Unity's memory.
enum SocketBootstrap {
    static func client(_ handler: ByteStreamHandler, connectTimeout: TimeAmount) -> ClientBootstrap {
        ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .channelOption(ChannelOptions.autoRead, value: false)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
    }
}

public struct UnixSocketTransport: ContainerTransport {
    public let path: String
    public let connectTimeout: TimeAmount

    public init(path: String, connectTimeout: TimeAmount = .seconds(5)) {
        self.path = path
        self.connectTimeout = connectTimeout
    }

    public var endpointDescription: String { "unix://\(path)" }

    public func openStream() async throws -> any ContainerByteStream {
        let handler = ByteStreamHandler()
        do {
            let channel = try await SocketBootstrap.client(handler, connectTimeout: connectTimeout)
                .connect(unixDomainSocketPath: path)
                .get()
            return SocketByteStream(channel: channel, handler: handler)
        } catch {
            throw Self.connectError(error, path: path)
        }
    }

    /// errno → the error a homelab user can act on.
    static func connectError(_ error: any Error, path: String) -> ContainerEngineError {
        let endpoint = "unix://\(path)"
        let code = (error as? IOError)?.errnoCode
        switch code {
        case EACCES, EPERM:
            return .permissionDenied(endpoint: endpoint)
        case ENOENT, ENOTDIR:
            return path.contains("podman") ? .podmanSocketNotRunning(endpoint: endpoint) : .socketNotFound(endpoint: endpoint)
        case ECONNREFUSED:
            return path.contains("podman") ? .podmanSocketNotRunning(endpoint: endpoint)
                : .daemonDown(endpoint: endpoint, reason: "connection refused")
        default:
            if case ChannelError.connectTimeout = error { return .timeout(endpoint: endpoint) }
            return .daemonDown(endpoint: endpoint, reason: String(describing: error).prefix(200).description)
        }
    }
}

/// A connected unix socket as a `ContainerByteStream`.
final class SocketByteStream: ContainerByteStream {
    private let channel: any Channel
    private let handler: ByteStreamHandler

    init(channel: any Channel, handler: ByteStreamHandler) {
        self.channel = channel
        self.handler = handler
    }

    func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }

    func closeWrite() async throws {
        try await channel.close(mode: .output)
    }

    func read() async throws -> [UInt8]? {
        try await handler.next(channel: channel)
    }

    func close() async {
        handler.cancelWaiter()
        try? await channel.close()
    }

    deinit {
        channel.close(promise: nil)
    }
}

/// Hands received bytes to one waiting reader; asks the socket for more only when the reader waits.
final class ByteStreamHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private struct State {
        var chunks: [[UInt8]] = []
        var ended = false
        var failure: (any Error)?
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
    }

    private let state = LockedValue(State())

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard let bytes = buffer.readBytes(length: buffer.readableBytes), !bytes.isEmpty else { return }
        deliver { $0.chunks.append(bytes) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // A reader that is still waiting (the read gave nothing usable) needs another read.
        if state.withLock({ $0.waiter != nil }) { context.read() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { deliver { $0.ended = true } }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deliver { $0.ended = true }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        deliver { $0.failure = error }
        context.close(promise: nil)
    }

    /// Wakes a pending reader with end of stream (the stream was closed by its owner).
    func cancelWaiter() {
        deliver { $0.ended = true }
    }

    func next(channel: any Channel) async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                let ready: Result<[UInt8]?, any Error>? = state.withLock { state in
                    if !state.chunks.isEmpty { return .success(state.chunks.removeFirst()) }
                    if let failure = state.failure { return .failure(failure) }
                    if state.ended { return .success(nil) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiter = continuation
                    return nil
                }
                if let ready {
                    continuation.resume(with: ready)
                } else {
                    channel.read()
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
            channel.close(promise: nil)
        }
    }

    /// Applies `change` and resumes the waiting reader if there is now something for it.
    private func deliver(_ change: (inout State) -> Void) {
        let (waiter, result): (CheckedContinuation<[UInt8]?, any Error>?, Result<[UInt8]?, any Error>?) = state.withLock { state in
            change(&state)
            guard let waiter = state.waiter else { return (nil, nil) }
            let result: Result<[UInt8]?, any Error>
            if !state.chunks.isEmpty {
                result = .success(state.chunks.removeFirst())
            } else if let failure = state.failure {
                result = .failure(failure)
            } else if state.ended {
                result = .success(nil)
            } else {
                return (nil, nil)
            }
            state.waiter = nil
            return (waiter, result)
        }
        if let waiter, let result { waiter.resume(with: result) }
    }
}
