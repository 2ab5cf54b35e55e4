/// Runs remote commands. Implementations: `NIOSSHTransport` (pooled swift-nio-ssh), `OpenSSHTransport`
/// (system ssh for RSA) and `AutomaticExecutor` (picks between them). All throw only `SSHError`.
public protocol SSHExecutor: Sendable {
    /// Runs `command` on `target`. `timeout` bounds the command (not the connect, see `SSHTarget.connectTimeout`);
    /// `maxOutput` bounds stdout + stderr together: beyond it the command is stopped and `.outputTooLarge` thrown.
    /// Cancelling the calling task closes the channel and throws `.cancelled`.
    func run(_ command: RemoteCommand, on target: SSHTarget, timeout: Duration, maxOutput: Int) async throws -> CommandResult

    /// Drops pooled connections to `target`'s endpoint (e.g. after the admin accepted a new host key).
    func invalidate(_ target: SSHTarget) async

    /// Closes every pooled connection and master process.
    func shutdown() async
}

extension SSHExecutor {
    /// `run` with Unity's defaults: 30 s and 16 MiB.
    public func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> CommandResult {
        try await run(command, on: target, timeout: .seconds(30), maxOutput: 16 << 20)
    }
}
