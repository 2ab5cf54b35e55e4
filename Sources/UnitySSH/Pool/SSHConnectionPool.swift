import NIOCore
import NIOPosix

/// Persistent connections per target, shared by every caller in the process. An actor: the
/// bookkeeping is tiny, and all network work happens outside it on NIO's event loops.
actor SSHConnectionPool {
    private enum Entry {
        case connecting(Task<SSHConnection, any Error>)
        case ready(SSHConnection)
    }

    private struct Failure {
        var count: Int
        var retryAt: ContinuousClock.Instant
        var error: SSHError
    }

    private let group: any EventLoopGroup
    private let configuration: SSHPoolConfiguration
    private let handshakes: AsyncGate
    private var entries: [String: (endpoint: String, entry: Entry)] = [:]
    private var failures: [String: Failure] = [:]
    private var hostGates: [String: AsyncGate] = [:]

    init(group: any EventLoopGroup, configuration: SSHPoolConfiguration) {
        self.group = group
        self.configuration = configuration
        self.handshakes = AsyncGate(limit: configuration.maxConcurrentHandshakes)
    }

    /// A live, authenticated connection for `target`: the pooled one, one being set up by another
    /// caller, or a new one.
    func connection(for target: SSHTarget) async throws -> SSHConnection {
        let key = target.identity
        switch entries[key]?.entry {
        case .ready(let connection) where connection.isActive:
            return connection
        case .connecting(let task):
            return try await task.value
        default:
            break
        }
        if let failure = failures[key], ContinuousClock.now < failure.retryAt {
            throw failure.error
        }
        let task = Task { try await self.establish(target) }
        entries[key] = (target.endpoint, .connecting(task))
        do {
            let connection = try await task.value
            if case .connecting(let current) = entries[key]?.entry, current == task {
                entries[key] = (target.endpoint, .ready(connection))
            }
            failures[key] = nil
            return connection
        } catch {
            if case .connecting(let current) = entries[key]?.entry, current == task { entries[key] = nil }
            let sshError = SSHError.from(error)
            recordFailure(key, sshError)
            throw sshError
        }
    }

    /// Forgets a connection that failed under a caller, so the next call reconnects.
    func discard(_ connection: SSHConnection, for target: SSHTarget) {
        if case .ready(let current) = entries[target.identity]?.entry, current === connection {
            entries[target.identity] = nil
        }
        connection.channel.close(promise: nil)
    }

    /// Closes every connection to the target's endpoint, whatever user, credential or pins.
    func invalidate(endpoint: String) {
        for (key, value) in entries where value.endpoint == endpoint {
            if case .ready(let connection) = value.entry { connection.channel.close(promise: nil) }
            entries[key] = nil
            failures[key] = nil
        }
    }

    func closeAll() async {
        let connections = entries.values.compactMap { value -> SSHConnection? in
            if case .ready(let connection) = value.entry { return connection }
            return nil
        }
        entries.removeAll()
        failures.removeAll()
        for connection in connections { await connection.close() }
    }

    var connectionCount: Int {
        entries.values.filter { if case .ready(let c) = $0.entry { c.isActive } else { false } }.count
    }

    private func recordFailure(_ key: String, _ error: SSHError) {
        let count = (failures[key]?.count ?? 0) + 1
        let factor = 1 << min(count - 1, 16)
        let delay = min(configuration.reconnectBackoff * factor, configuration.maxReconnectBackoff)
        failures[key] = Failure(count: count, retryAt: .now + delay, error: error)
    }

    private func hostGate(_ endpoint: String) -> AsyncGate {
        if let gate = hostGates[endpoint] { return gate }
        let gate = AsyncGate(limit: configuration.handshakesPerHost)
        hostGates[endpoint] = gate
        return gate
    }

    private func establish(_ target: SSHTarget) async throws -> SSHConnection {
        var jump: SSHConnection?
        if let bastion = target.jump {
            do {
                jump = try await connection(for: bastion)
            } catch {
                throw SSHError.from(error).onJumpHost()
            }
        }
        let hostGate = hostGate(target.endpoint)
        let group = group
        let channelLimit = configuration.channelsPerConnection
        var attempt = 0
        while true {
            do {
                return try await handshakes.withSlot {
                    try await hostGate.withSlot {
                        try await SSHConnection.connect(to: target, group: group, via: jump, channelLimit: channelLimit)
                    }
                }
            } catch {
                let sshError = SSHError.from(error)
                // Only transient refusals are retried: sshd's MaxStartups drops surplus connections
                // during the handshake, which looks like an early close. Key and auth errors never are.
                guard attempt < configuration.handshakeRetries, Self.isTransient(sshError) else { throw sshError }
                attempt += 1
                let jitter = Duration.milliseconds(Int.random(in: 0...100))
                try await Task.sleep(for: .milliseconds(100 << attempt) + jitter)
            }
        }
    }

    private static func isTransient(_ error: SSHError) -> Bool {
        switch error {
        case .connectionClosed, .connectFailed: true
        default: false
        }
    }
}
