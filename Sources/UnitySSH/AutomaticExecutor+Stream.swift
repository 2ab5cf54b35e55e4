extension AutomaticExecutor: SSHStreamingExecutor {
    /// The same routing as `run`: swift-nio-ssh unless the key or the host needs OpenSSH; a host that
    /// turns out to offer only RSA host keys is remembered and retried over OpenSSH (nothing was sent).
    public func openStream(
        _ command: RemoteCommand, on target: SSHTarget, openTimeout: Duration, maxStderr: Int
    ) async throws -> any SSHCommandStream {
        guard transport(for: target) == .nio else {
            return try await openSSH.openStream(command, on: target, openTimeout: openTimeout, maxStderr: maxStderr)
        }
        do {
            return try await nio.openStream(command, on: target, openTimeout: openTimeout, maxStderr: maxStderr)
        } catch let error as SSHError where target.transport == .automatic && Self.isRSAHint(error) {
            rememberRSAOnly(target)
            return try await openSSH.openStream(command, on: target, openTimeout: openTimeout, maxStderr: maxStderr)
        }
    }
}
