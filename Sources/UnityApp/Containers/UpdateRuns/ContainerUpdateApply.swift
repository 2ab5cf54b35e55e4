import Fluent
import Foundation
import UnityContainers
import UnityRegistry
import Vapor

/// The parts an update run is assembled from, held by the application: the policy side
/// (`preflight`), backups, how the update engine of a host is reached, and the registry credentials
/// its pulls use. `configure` installs the live defaults; the policy and backup parts are wired in by
/// their features, tests replace any of them.
struct ContainerUpdateApply: Sendable {
    /// Policies, windows, approvals, host gates. Without policies: always proceed.
    var preflight: any UpdatePreflighting
    /// Backups before anything is stopped; nil = no backup support installed (runs that require one fail).
    var backups: (any ContainerBackupTaking)?
    /// The update engine for a container host (built around that host's engine client).
    var applier: @Sendable (UUID) async throws -> any ContainerUpdateApplying
    /// Registry credentials for the engine's pulls, read from the database at pull time.
    var registryAccess: RegistryClient.AccessLookup
    /// The time runs are stamped with and the engine's gates wait on; tests can move it.
    var clock: any UpdateClock = SystemUpdateClock()

    static func live(_ app: Application) -> ContainerUpdateApply {
        let database: @Sendable () -> any Database = { [unowned app] in app.db }
        let access = RegistryAccessLookup.make(database: database, secrets: app.unity.secrets, logger: Logger(label: "unity.updates"))
        return ContainerUpdateApply(preflight: AlwaysProceed(), backups: nil, applier: engineApplier(app, access: access),
                                    registryAccess: access)
    }
}

enum ContainerUpdateRunsError: Error, CustomStringConvertible {
    /// The update engine is not part of this build's wiring.
    case noEngine
    case hostGone(UUID)

    var description: String {
        switch self {
        case .noEngine: "this Unity has no update engine installed"
        case .hostGone(let id): "container host \(id.uuidString) no longer exists"
        }
    }
}

extension Application {
    private struct ContainerUpdateApplyKey: StorageKey { typealias Value = ContainerUpdateApply }

    /// Set in `configure`; tests and features replace parts of it.
    var containerUpdateApply: ContainerUpdateApply {
        get { storage[ContainerUpdateApplyKey.self] ?? .live(self) }
        set { storage[ContainerUpdateApplyKey.self] = newValue }
    }

    /// The update journal on this application's database, owned by this replica.
    var containerUpdateJournal: DatabaseUpdateJournal {
        DatabaseUpdateJournal(database: { [unowned self] in self.db }, replica: unity.replicaID)
    }
}
