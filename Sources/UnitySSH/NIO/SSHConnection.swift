import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSH

/// One authenticated SSH connection (direct TCP or tunnelled through a bastion) carrying many
/// session channels. Created only by `connect`, which returns after the host key was accepted and
/// user authentication succeeded, so a refused host key means nothing was ever sent.
final class SSHConnection: Sendable {
    let channel: any Channel
    let hostKey: HostKeyPin?
    /// The key the bastion presented when this connection is tunnelled through one.
    let jumpHostKey: HostKeyPin?
    /// Session channels open at once on this connection (sshd's MaxSessions, default 10).
    let channels: AsyncGate
    let sshHandler: NIOLoopBound<NIOSSHHandler>
    private let idle = NIOLockedValueBox<IdleState>(IdleState())

    private struct IdleState {
        var inFlight = 0
        var generation = 0
    }

    private init(channel: any Channel, handler: NIOLoopBound<NIOSSHHandler>, hostKey: HostKeyPin?, jumpHostKey: HostKeyPin?, channelLimit: Int) {
        self.channel = channel
        self.sshHandler = handler
        self.hostKey = hostKey
        self.jumpHostKey = jumpHostKey
        self.channels = AsyncGate(limit: channelLimit)
    }

    var isActive: Bool { channel.isActive }

    static func connect(
        to target: SSHTarget, group: any EventLoopGroup, via jump: SSHConnection?, channelLimit: Int
    ) async throws -> SSHConnection {
        let record = HandshakeRecord()
        let loop = jump?.channel.eventLoop ?? group.next()
        let ready = loop.makePromise(of: Void.self)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Void> = { channel in
            channel.eventLoop.makeCompletedFuture {
                let config = SSHClientConfiguration(
                    userAuthDelegate: SingleCredentialDelegate(username: target.username, credential: target.credential),
                    serverAuthDelegate: PinningHostKeyDelegate(policy: target.hostKeyPolicy, record: record)
                )
                let sync = channel.pipeline.syncOperations
                if jump != nil { try sync.addHandler(TunnelHandler()) }
                try sync.addHandler(NIOSSHHandler(role: .client(config), allocator: channel.allocator, inboundChildChannelInitializer: nil))
                try sync.addHandler(ConnectionStateHandler(ready: ready, record: record))
            }
        }
        // One deadline covers TCP connect, key exchange and authentication.
        let timer = loop.scheduleTask(in: TimeAmount(target.connectTimeout)) { ready.fail(SSHError.connectTimeout) }
        let channel: any Channel
        do {
            if let jump {
                channel = try await jump.openTunnel(to: target.host, port: target.port, initializer: initializer)
            } else {
                channel = try await ClientBootstrap(group: loop)
                    .connectTimeout(TimeAmount(target.connectTimeout))
                    .channelOption(.socketOption(.so_keepalive), value: 1)
                    .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                    .channelInitializer(initializer)
                    .connect(host: target.host, port: target.port).get()
            }
        } catch {
            timer.cancel()
            ready.fail(SSHError.from(error))
            throw SSHError.from(error)
        }
        do {
            try await ready.futureResult.get()
            timer.cancel()
            let handler = try await channel.pipeline.handler(type: NIOSSHHandler.self).map { NIOLoopBound($0, eventLoop: loop) }.get()
            return SSHConnection(channel: channel, handler: handler, hostKey: record.presented, jumpHostKey: jump?.hostKey,
                                 channelLimit: channelLimit)
        } catch {
            timer.cancel()
            channel.close(promise: nil)
            throw record.refusal ?? SSHError.from(error)
        }
    }

    /// Opens a session channel, runs the command and waits for its exit status, within `timeout`.
    func exec(_ command: PreparedCommand, timeout: Duration, maxOutput: Int) async throws -> ExecOutcome {
        let loop = channel.eventLoop
        let outcome = loop.makePromise(of: ExecOutcome.self)
        let child = loop.makePromise(of: (any Channel).self)
        let handler = sshHandler
        loop.execute {
            handler.value.createChannel(child, channelType: .session) { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    let exec = ExecHandler(command: command, maxOutput: maxOutput, promise: outcome, allocator: channel.allocator)
                    try channel.pipeline.syncOperations.addHandler(exec)
                }
            }
        }
        // Distinguish "never opened" (the command was not sent, safe to retry) from later failures.
        child.futureResult.whenFailure { outcome.fail(ChannelOpenFailure(error: SSHError.from($0))) }
        let abort: @Sendable (SSHError) -> Void = { error in
            child.futureResult.whenSuccess { $0.pipeline.fireUserInboundEventTriggered(ExecAbort(error: error)) }
            // If the channel never opened, nothing else will complete the promise.
            outcome.fail(error)
        }
        let timer = loop.scheduleTask(in: TimeAmount(timeout)) { abort(.commandTimeout) }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await outcome.futureResult.get()
        } onCancel: {
            abort(.cancelled)
        }
    }

    /// A direct-tcpip channel to `host:port` as seen from this server, set up by `initializer`.
    func openTunnel(
        to host: String, port: Int, initializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> any Channel {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: (any Channel).self)
        let handler = sshHandler
        let originator = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
        let type = SSHChannelType.directTCPIP(.init(targetHost: host, targetPort: port, originatorAddress: originator))
        loop.execute {
            handler.value.createChannel(promise, channelType: type) { channel, _ in initializer(channel) }
        }
        return try await promise.futureResult.get()
    }

    /// Marks one command as started; cancels any pending idle close.
    func beginUse() {
        idle.withLockedValue { $0.inFlight += 1; $0.generation += 1 }
    }

    /// Marks one command as finished; when the connection becomes idle, closes it after `idleTimeout`
    /// unless it is used again first (the generation counter detects reuse).
    func endUse(idleTimeout: Duration) {
        let generation: Int? = idle.withLockedValue { state in
            state.inFlight -= 1
            return state.inFlight == 0 ? state.generation : nil
        }
        guard let generation else { return }
        channel.eventLoop.scheduleTask(in: TimeAmount(idleTimeout)) { [self] in
            let stillIdle = idle.withLockedValue { $0.inFlight == 0 && $0.generation == generation }
            if stillIdle { channel.close(promise: nil) }
        }
    }

    func close() async {
        try? await channel.close()
    }
}

/// The session channel could not be opened, so the command was never sent.
struct ChannelOpenFailure: Error {
    let error: SSHError
}
