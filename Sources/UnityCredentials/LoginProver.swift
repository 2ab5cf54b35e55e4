import UnitySSH

/// Proves that a credential can log in *now*. A pooled connection would prove nothing (sessions
/// outlive the key that opened them, and a failed attempt is cached by the pool's backoff), so every
/// proof runs on a throwaway executor that is shut down afterwards: a fresh TCP connection, key
/// exchange and public-key authentication against the current authorized_keys.
public protocol LoginProver: Sendable {
    /// Returns normally when `target` authenticated; throws the `SSHError` otherwise.
    func proveLogin(_ target: SSHTarget) async throws(SSHError)
}

/// The default prover: a new executor per proof (an `AutomaticExecutor` on the app's OpenSSH
/// workspace unless told otherwise, so RSA keys go through OpenSSH), running `true`. Any exit status counts as logged in: a key restricted with
/// `command="…"` runs its forced command instead, and still authenticated.
public struct FreshExecutorLoginProver: LoginProver {
    private let makeExecutor: @Sendable () throws -> any SSHExecutor

    public init(makeExecutor: @escaping @Sendable () throws -> any SSHExecutor) {
        self.makeExecutor = makeExecutor
    }

    public init(workspace: OpenSSHWorkspace) {
        self.makeExecutor = { try AutomaticExecutor(workspace: workspace) }
    }

    public func proveLogin(_ target: SSHTarget) async throws(SSHError) {
        let executor: any SSHExecutor
        do {
            executor = try makeExecutor()
        } catch {
            throw (error as? SSHError) ?? .transport("cannot create an executor: \(error)")
        }
        do {
            _ = try await executor.run(RemoteCommand("true"), on: target, timeout: .seconds(20), maxOutput: 1 << 16)
            await executor.shutdown()
        } catch {
            await executor.shutdown()
            throw (error as? SSHError) ?? .transport("unexpected \(type(of: error))")
        }
    }
}
