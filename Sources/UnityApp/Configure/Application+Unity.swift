import UnityCore
import UnitySSH
import Vapor

/// Everything Unity hangs on the Vapor application, set once by `configure`.
public struct UnityServices: Sendable {
    public let config: AppConfig
    public let secrets: SecretBox
    public let tokens: TokenService
    public let metrics: UnityMetrics
    public let tasks: TaskRegistry
    public let replicaID: String
    /// Every SSH command goes through this executor and its connection pool.
    public let ssh: any SSHExecutor
    /// `<data dir>/run`: the OpenSSH transports' private folders, including fresh executors' for login proofs.
    public let sshWorkspace: OpenSSHWorkspace
    /// Alert evaluation, live updates and notification delivery.
    let alerts: AlertPipeline
    /// Work that outlives a request (distributions, ACME attempts): tracked, heartbeated, awaited on shutdown.
    let jobs: BackgroundJobs
    let principals = PrincipalCache()
    /// Every bcrypt hash and check, bounded (see `PasswordHashing`).
    let passwords: PasswordHashing
}

extension Application {
    private struct UnityServicesKey: StorageKey {
        typealias Value = UnityServices
    }

    /// Set by `configure`; reading it earlier is a programming error in the wiring, not user input.
    public var unity: UnityServices {
        get {
            guard let services = storage[UnityServicesKey.self] else {
                preconditionFailure("configure(_:config:) must run before Unity's services are used")
            }
            return services
        }
        set { storage[UnityServicesKey.self] = newValue }
    }
}

extension Request {
    public var unity: UnityServices { application.unity }
}
