import NIOConcurrencyHelpers
import NIOCore

extension NIOSSHTransport: SSHStreamingExecutor {
    /// A session channel on the pooled connection. It holds one of the connection's channel slots
    /// (`SSHPoolConfiguration.channelsPerConnection`) until it is gone, so streams and collection
    /// together stay under sshd's MaxSessions; it does not count against `maxConcurrentCommands`
    /// (a stream may live for hours). The connection is not idle-closed while a stream is open.
    public func openStream(
        _ command: RemoteCommand, on target: SSHTarget, openTimeout: Duration, maxStderr: Int
    ) async throws -> any SSHCommandStream {
        do {
            try target.requirePinnedForStreaming()
            if case .privateKey(let key) = target.credential, key.requiresOpenSSH {
                throw SSHError.unsupportedKey("RSA user keys need the OpenSSH transport")
            }
            let deadline = NIODeadline.now() + TimeAmount(openTimeout)
            let prepared = command.prepared(for: target.sudo)
            let sudo = target.sudo
            let kill: @Sendable (String, Int) -> PreparedCommand = { signal, group in
                RemoteCommand(unchecked: "kill -\(signal) -- -\(group)", privileged: command.privileged).prepared(for: sudo)
            }
            return try await onPooledConnection(for: target) { connection in
                try await self.openStream(prepared, kill: kill, on: connection, deadline: deadline, maxStderr: maxStderr)
            }
        } catch {
            throw SSHError.from(error)
        }
    }

    private func openStream(
        _ prepared: PreparedCommand, kill: @escaping @Sendable (String, Int) -> PreparedCommand, on connection: SSHConnection,
        deadline: NIODeadline, maxStderr: Int
    ) async throws -> NIOCommandStream {
        try await connection.channels.acquire(deadline: deadline, on: connection.channel.eventLoop)
        connection.beginUse()
        let released = NIOLockedValueBox(false)
        let idleTimeout = configuration.idleTimeout
        let release: @Sendable () -> Void = {
            guard released.withLockedValue({ done in defer { done = true }; return !done }) else { return }
            connection.channels.release()
            connection.endUse(idleTimeout: idleTimeout)
        }
        let remaining = deadline - NIODeadline.now()
        guard remaining > .zero else {
            release()
            throw SSHError.commandTimeout
        }
        let inbox = StreamInbox(maxStderr: maxStderr)
        let markers = StreamMarkers()
        let processGroup = NIOLockedValueBox<Int?>(nil)
        let wrapped = PreparedCommand(line: markers.wrap(prepared.line), stdin: prepared.stdin)
        let channel = try await connection.openStream(
            wrapped, markers: markers, inbox: inbox, processGroup: processGroup, timeout: Duration(remaining), release: release)
        let killRemote: @Sendable (String) -> Void = { signal in
            guard let group = processGroup.withLockedValue({ $0 }) else { return }
            connection.execDetached(kill(signal, group))
        }
        return NIOCommandStream(channel: channel, inbox: inbox, killRemote: killRemote)
    }
}
