import NIOCore
import NIOPosix

/// The pooled swift-nio-ssh executor: Ed25519/ECDSA keys and passwords, ed25519/ECDSA host keys.
/// One connection per target identity is reused across commands and collection cycles.
public final class NIOSSHTransport: SSHExecutor {
    let pool: SSHConnectionPool
    let configuration: SSHPoolConfiguration
    private let commands: AsyncGate

    /// - Parameter group: the event loops to use; NIO's shared singleton by default.
    public init(configuration: SSHPoolConfiguration = .init(), group: (any EventLoopGroup)? = nil) {
        self.configuration = configuration
        self.pool = SSHConnectionPool(group: group ?? NIOSingletons.posixEventLoopGroup, configuration: configuration)
        self.commands = AsyncGate(limit: configuration.maxConcurrentCommands)
    }

    public func run(
        _ command: RemoteCommand, on target: SSHTarget, timeout: Duration, maxOutput: Int
    ) async throws -> CommandResult {
        do {
            return try await runMapped(command, on: target, timeout: timeout, maxOutput: maxOutput)
        } catch {
            throw SSHError.from(error)
        }
    }

    private func runMapped(
        _ command: RemoteCommand, on target: SSHTarget, timeout: Duration, maxOutput: Int
    ) async throws -> CommandResult {
        if case .privateKey(let key) = target.credential, key.requiresOpenSSH {
            throw SSHError.unsupportedKey("RSA user keys need the OpenSSH transport")
        }
        let start = ContinuousClock.now
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let prepared = command.prepared(for: target.sudo)
        try await commands.acquire()
        defer { commands.release() }
        return try await onPooledConnection(for: target) { connection in
            let outcome = try await self.exec(prepared, on: connection, deadline: deadline, maxOutput: maxOutput)
            return CommandResult(
                stdout: outcome.stdout, stderr: outcome.stderr, exitStatus: outcome.exitStatus,
                exitSignal: outcome.exitSignal, duration: .now - start, hostKey: connection.hostKey,
                jumpHostKey: connection.jumpHostKey, transport: .nio
            )
        }
    }

    /// Runs `body` on the pooled connection for `target`, retrying where the command was never sent:
    /// a channel refused by MaxSessions (waiting for one of ours to finish) or a connection that died idle.
    func onPooledConnection<T: Sendable>(
        for target: SSHTarget, _ body: @Sendable (SSHConnection) async throws -> T
    ) async throws -> T {
        var reopened = false
        var refusals = 0
        while true {
            let connection = try await pool.connection(for: target)
            do {
                return try await body(connection)
            } catch let failure as ChannelOpenFailure {
                switch failure.error {
                case .channelLimit where refusals < 5:
                    // The server's MaxSessions is below our limit: remember it and wait for one of ours to
                    // finish. sshd frees a session slightly after we see its channel close, hence the short pause.
                    refusals += 1
                    connection.channels.lowerLimit(to: max(1, connection.channels.inUse))
                    try await Task.sleep(for: .milliseconds(20 * refusals))
                case .connectionClosed where !reopened:
                    // A pooled connection died while idle (server restart, idle close race). The command
                    // was never sent, so one retry on a fresh connection is safe.
                    reopened = true
                    await pool.discard(connection, for: target)
                default:
                    throw failure.error
                }
            } catch {
                if !connection.isActive { await pool.discard(connection, for: target) }
                throw error
            }
        }
    }

    private func exec(
        _ prepared: PreparedCommand, on connection: SSHConnection, deadline: NIODeadline, maxOutput: Int
    ) async throws -> ExecOutcome {
        try await connection.channels.acquire(deadline: deadline, on: connection.channel.eventLoop)
        defer { connection.channels.release() }
        connection.beginUse()
        defer { connection.endUse(idleTimeout: configuration.idleTimeout) }
        let remaining = deadline - NIODeadline.now()
        guard remaining > .zero else { throw SSHError.commandTimeout }
        return try await connection.exec(prepared, timeout: Duration(remaining), maxOutput: maxOutput)
    }

    public func invalidate(_ target: SSHTarget) async {
        await pool.invalidate(endpoint: target.endpoint)
    }

    public func shutdown() async {
        await pool.closeAll()
    }

    /// Open pooled connections (for the app's status page and the benchmark).
    public var openConnections: Int {
        get async { await pool.connectionCount }
    }
}
