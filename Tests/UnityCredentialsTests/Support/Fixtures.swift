import Foundation
import UnitySSHTestSupport
@testable import UnityCredentials
@testable import UnitySSH

/// Keys and servers for the distribution tests. Non-Ed25519 keys come from the real ssh-keygen
/// (imported with `SSHPrivateKey(text:)`); each name is a distinct key, generated once per run.
enum DistKeys {
    static func imported(_ name: String, type: String, bits: String? = nil) throws -> SSHPrivateKey {
        try SSHPrivateKey(text: TestKeys.load("dist-\(name)", type: type, bits: bits).text)
    }

    /// The five client key types Unity handles, by name.
    static let allTypes: [(name: String, type: String, bits: String?)] = [
        ("ed25519", "ed25519", nil), ("p256", "ecdsa", "256"), ("p384", "ecdsa", "384"),
        ("p521", "ecdsa", "521"), ("rsa", "rsa", "2048"),
    ]
}

extension SSHD {
    /// Unity's view of this test server: access with `key`, authorized_keys where this sshd reads it.
    func managed(_ id: String, access key: SSHPrivateKey) throws -> ManagedServer {
        ManagedServer(id: id, access: try target(.privateKey(key)),
                      authorizedKeys: AuthorizedKeysLocation(authorizedKeysPath))
    }

    var authorizedKeysData: Data { (try? Data(contentsOf: URL(fileURLWithPath: authorizedKeysPath))) ?? Data() }

    func setAuthorizedKeys(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: authorizedKeysPath))
    }

    /// An independent check: a brand-new executor, a fresh login with `key`, `true`.
    func canLogIn(with key: SSHPrivateKey) async -> Bool {
        guard let target = try? target(.privateKey(key)) else { return false }
        return (try? await withExecutor { executor in
            try await executor.run(RemoteCommand("true"), on: target, timeout: .seconds(20), maxOutput: 1 << 16)
        }) != nil
    }
}

/// Starts several sshds at once and stops them all on every path.
func withSSHDs<T>(
    _ configs: [(authorizedKeys: String, extraConfig: [String])], _ body: ([SSHD]) async throws -> T
) async throws -> T {
    var servers: [SSHD] = []
    defer {
        for server in servers {
            server.stop()
            try? FileManager.default.removeItem(atPath: server.directory)
        }
    }
    for config in configs {
        let sshd = try SSHD(authorizedKeys: [], extraConfig: config.extraConfig)
        try sshd.setAuthorizedKeys(config.authorizedKeys)
        servers.append(sshd)
        try await sshd.start()
    }
    return try await body(servers)
}

/// A fresh executor for `body`, shut down on every path (no control masters or temp dirs left behind).
func withExecutor<T>(_ body: (AutomaticExecutor) async throws -> T) async throws -> T {
    let executor = try AutomaticExecutor()
    do {
        let result = try await body(executor)
        await executor.shutdown()
        return result
    } catch {
        await executor.shutdown()
        throw error
    }
}

extension KeyDistributor {
    /// The real prover, on the tests' OpenSSH workspace (the app passes the one under its data folder).
    init(executor: any SSHExecutor, maxConcurrentServers: Int = 8) {
        self.init(executor: executor, prover: FreshExecutorLoginProver(workspace: .forTests), maxConcurrentServers: maxConcurrentServers)
    }
}

/// Collects progress events from any task.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [KeyJobEvent] = []

    var progress: KeyJobProgress { { event in self.lock.withLock { self.events.append(event) } } }
    var all: [KeyJobEvent] { lock.withLock { events } }
}

extension ServerResult {
    func step(_ step: KeyStep) -> StepRecord? { steps.last { $0.step == step } }
    var stepSummary: String { steps.map { "\($0.step.rawValue)=\($0.outcome.rawValue): \($0.message)" }.joined(separator: "\n") }
}

/// The real prover, with `hook` run just before proof number `atProof` (1-based): lets a test act
/// like an admin or a failing server at an exact point of a job.
final class HookedProver: LoginProver, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let atProof: Int
    private let hook: () -> Void
    private let real = FreshExecutorLoginProver(workspace: .forTests)

    init(atProof: Int, hook: @escaping () -> Void) {
        self.atProof = atProof
        self.hook = hook
    }

    func proveLogin(_ target: SSHTarget) async throws(SSHError) {
        let number = lock.withLock { count += 1; return count }
        if number == atProof { hook() }
        try await real.proveLogin(target)
    }
}
