import Foundation
import UnitySSH

/// Installs, revokes and rotates SSH public keys across servers, never locking Unity out.
///
/// Every server gets its own task (at most `maxConcurrentServers` at once) and its own step log; a
/// failure on one server never stops the others. Edits go through Unity's current access on the
/// shared `executor`; proofs ("this key logs in") go through the `prover`, on fresh connections.
public struct KeyDistributor: Sendable {
    public let executor: any SSHExecutor
    public let prover: any LoginProver
    public var maxConcurrentServers: Int

    public init(executor: any SSHExecutor, prover: any LoginProver, maxConcurrentServers: Int = 8) {
        self.executor = executor
        self.prover = prover
        self.maxConcurrentServers = max(1, maxConcurrentServers)
    }

    /// Backs up, appends `key`'s line (with `options`) unless the key is already there, then proves a
    /// fresh login with `key`. A failed proof puts the backup back.
    public func install(key: SSHPrivateKey, options: String? = nil, on servers: [ManagedServer],
                        progress: @escaping KeyJobProgress = { _ in }) async -> KeyJobReport {
        let line = Result { () throws(KeyLineError) in try AuthorizedKeys.entryLine(for: PublicKey(key), options: options) }
        return await runJob(.install, servers, progress) { job in
            await job.install(key: key, line: line)
        }
    }

    /// Removes exactly the lines carrying `key`, then proves Unity's own access still logs in (restoring
    /// the backup if not). With the private half, also proves the key is now refused. Refuses to
    /// revoke the key Unity itself uses on a server: that is what `rotate` is for.
    public func revoke(key: PublicKey, proveRefusalWith privateKey: SSHPrivateKey? = nil, on servers: [ManagedServer],
                       progress: @escaping KeyJobProgress = { _ in }) async -> KeyJobReport {
        await runJob(.revoke, servers, progress) { job in
            await job.revoke(key: key, privateKey: privateKey)
        }
    }

    /// Replaces `old` by `new`: add new → log in with new → (switch Unity's access if it used `old`) →
    /// remove old → log in with new again. Any failure restores that server's backup over a session
    /// that still works; the result says which credential Unity now has there.
    public func rotate(from old: PublicKey, to new: SSHPrivateKey, options: String? = nil, on servers: [ManagedServer],
                       progress: @escaping KeyJobProgress = { _ in }) async -> KeyJobReport {
        let line = Result { () throws(KeyLineError) in try AuthorizedKeys.entryLine(for: PublicKey(new), options: options) }
        return await runJob(.rotate, servers, progress) { job in
            await job.rotate(from: old, to: new, line: line)
        }
    }

    /// Runs `work` per server with bounded concurrency; results come back in the servers' order.
    private func runJob(
        _ operation: KeyOperation, _ servers: [ManagedServer], _ progress: @escaping KeyJobProgress,
        _ work: @escaping @Sendable (inout ServerJob) async -> ServerResult
    ) async -> KeyJobReport {
        let start = ContinuousClock.now
        let executor = self.executor, prover = self.prover
        var results = [ServerResult?](repeating: nil, count: servers.count)
        await withTaskGroup(of: (Int, ServerResult).self) { group in
            var next = 0
            func startNext() {
                guard next < servers.count else { return }
                let index = next, server = servers[index]
                next += 1
                group.addTask {
                    progress(.serverStarted(serverID: server.id))
                    var job = ServerJob(server: server, executor: executor, prover: prover, progress: progress)
                    return (index, await work(&job))
                }
            }
            for _ in 0..<min(maxConcurrentServers, servers.count) { startNext() }
            for await (index, result) in group {
                results[index] = result
                startNext()
            }
        }
        let report = KeyJobReport(operation: operation, servers: results.compactMap { $0 }, duration: .now - start)
        progress(.jobFinished(report))
        return report
    }
}
