import Fluent
import Foundation
import UnityContainers
import UnityRegistry
import Vapor

extension ContainerUpdateApply {
    /// The live way to a host's update engine: the host's kept engine client (`ContainerEngineCache`,
    /// over SSH dial-stdio, TLS or a socket) wrapped in `ContainerUpdateEngine`, which finds the
    /// container by its engine id and pulls with the registry credentials stored in Unity.
    static func engineApplier(_ app: Application, access: @escaping RegistryClient.AccessLookup) -> @Sendable (UUID) async throws -> any ContainerUpdateApplying {
        let credentials: RegistryCredentialLookup = { registryHost in
            guard let found = await access(registryHost), let username = found.username, let password = found.password else { return nil }
            return RegistryPullCredentials(username: username, password: password, serverAddress: registryHost)
        }
        return { [unowned app] hostID in
            guard let host = try await ContainerHostRecord.find(hostID, on: app.db) else { throw ContainerUpdateRunsError.hostGone(hostID) }
            let engine = try await app.containerEngines.engine(for: host, application: app)
            guard let operations = engine as? any ContainerUpdateOperations else { throw ContainerUpdateRunsError.noEngine }
            return ContainerUpdateEngine(engine: operations, resolveContainer: { [unowned app] containerID in
                guard let row = try await ContainerRecord.find(containerID, on: app.db) else {
                    throw ContainerEngineError.notFound(what: "container \(containerID.uuidString)")
                }
                return row.engineID
            }, credentials: credentials, clock: app.containerUpdateApply.clock, compose: try await composeUpdater(for: host, app: app))
        }
    }

    /// Compose on the host itself, over the server's SSH connection, when the host is reached over SSH:
    /// compose-managed containers are then updated through Compose (see `ComposeServiceUpdater`).
    /// Other transports (a local socket, TCP + TLS) have no shell on the host: the engine API it is.
    static func composeUpdater(for host: ContainerHostRecord, app: Application) async throws -> ComposeServiceUpdater? {
        guard host.transportKind == .ssh, let serverID = host.serverID,
              let server = try await MonitoredServer.find(serverID, on: app.db) else { return nil }
        let target = try await ServerTargets.target(for: server, database: app.db, secrets: app.unity.secrets)
        return ComposeServiceUpdater(executor: app.unity.ssh, target: target, engineSocket: host.socketPath)
    }
}
