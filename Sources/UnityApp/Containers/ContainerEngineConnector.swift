import Fluent
import UnityContainers
import UnitySSH
import Vapor

/// The port between a host row and a live engine client. The app opens SSH credentials in one place
/// (`ServerTargets`), so the SSH route is built here, not in `UnityContainers`; tests inject their own.
protocol ContainerEngineConnector: Sendable {
    func engine(for host: ContainerHostRecord, application: Application) async throws -> any ContainerEngine
}

/// Local sockets directly, TCP ports with TLS from the certificate inventory (`ContainerHostTLS`), a
/// server's engine over SSH (`sshEngine`). Clients are kept per host in the application's
/// `ContainerEngineCache`, so consecutive uses share one open connection.
struct DefaultContainerEngineConnector: ContainerEngineConnector {
    func engine(for host: ContainerHostRecord, application: Application) async throws -> any ContainerEngine {
        let key = try await Self.cacheKey(for: host, application: application)
        return try await application.containerEngineCache.engine(hostID: try host.requireID(), key: key, now: Date()) {
            try await makeEngine(for: host, application: application)
        }
    }

    /// Everything that decides how the engine is reached: a change to any of it builds a new client.
    static func cacheKey(for host: ContainerHostRecord, application: Application) async throws -> String {
        // Not the engine kind: a client built before detection is already of the detected kind.
        var parts = [host.transport, host.socketPath ?? "", host.endpoint ?? "", host.caCertificateID?.uuidString ?? "",
                     host.clientCertificateID?.uuidString ?? "", String(host.insecurePlainTCP ?? false)]
        if let serverID = host.serverID, let server = try await MonitoredServer.find(serverID, on: application.db) {
            parts += [server.address, String(server.port), server.username, server.sshKeyID?.uuidString ?? "", server.credentialID?.uuidString ?? "",
                      server.jumpServerID?.uuidString ?? "", String(server.useSudo), server.hostKeyPins]
        }
        return parts.joined(separator: "\u{1F}")
    }

    private func makeEngine(for host: ContainerHostRecord, application: Application) async throws -> DockerAPIEngine {
        switch host.transportKind {
        case .socket:
            guard let path = host.socketPath else { throw ContainerEngineError.socketNotFound(endpoint: "(no socket path)") }
            return DockerAPIEngine(transport: UnixSocketTransport(path: path))
        case .ssh:
            guard let serverID = host.serverID, let server = try await MonitoredServer.find(serverID, on: application.db) else {
                throw ContainerEngineError.notFound(what: "the server of container host \(host.name)")
            }
            return try await Self.sshEngine(for: server, host: host, application: application)
        case .tls, .tcp:
            return DockerAPIEngine(transport: try await ContainerHostTLS.transport(for: host, application: application))
        case nil:
            throw ContainerEngineError.transportUnavailable(endpoint: host.name, reason: "unknown transport \(host.transport)")
        }
    }

    /// The one place a server's engine is reached over SSH: `docker|podman system dial-stdio` on the
    /// server's pooled connection (its pinned host key, its stored credential, opened in `ServerTargets`),
    /// Unity speaking HTTP over that stream. A host whose engine is not known yet is asked as Docker
    /// first, then as Podman when Docker is not installed.
    static func sshEngine(for server: MonitoredServer, host: ContainerHostRecord, application: Application) async throws -> DockerAPIEngine {
        guard let executor = application.unity.ssh as? any SSHStreamingExecutor else {
            throw ContainerEngineError.engineError(status: 501, message: "this Unity's SSH executor cannot open streams")
        }
        let target = try await ServerTargets.target(for: server, database: application.db, secrets: application.unity.secrets)
        func engine(_ kind: ContainerEngineKind) -> DockerAPIEngine {
            DockerAPIEngine(transport: SSHDialStdioTransport(executor: executor, target: target, engine: kind,
                                                             options: .init(sudo: false, socketPath: host.socketPath)))
        }
        if let known = host.engineKind.flatMap(ContainerEngineKind.init(rawValue:)) { return engine(known) }
        let docker = engine(.docker)
        do {
            _ = try await docker.facts()
            return docker
        } catch let error as ContainerEngineError where error.code == "container_engine_not_installed" {
            return engine(.podman)
        }
    }
}

extension Application {
    private struct ContainerEngineConnectorKey: StorageKey { typealias Value = any ContainerEngineConnector }

    /// How host rows become engine clients; tests replace it, production uses the default.
    var containerEngines: any ContainerEngineConnector {
        get { storage[ContainerEngineConnectorKey.self] ?? DefaultContainerEngineConnector() }
        set { storage[ContainerEngineConnectorKey.self] = newValue }
    }

    private struct ContainerEngineCacheKey: StorageKey { typealias Value = ContainerEngineCache }

    /// Set up in `configure` (before any request); the fallback only serves code that skipped it.
    var containerEngineCache: ContainerEngineCache {
        get { storage[ContainerEngineCacheKey.self] ?? ContainerEngineCache(idleLimit: 0) }
        set { storage[ContainerEngineCacheKey.self] = newValue }
    }
}

/// Ends the kept engine connections (their dial-stdio channels) before the SSH pool closes.
struct ContainerEngineCacheShutdown: LifecycleHandler {
    let cache: ContainerEngineCache

    func shutdownAsync(_ application: Application) async { await cache.closeAll() }
}

extension ContainerEngineError {
    /// The API's answer for an engine failure: never a 500. Unreachable engines (and the transports
    /// not wired yet) are 503, refusals 404/409, the engine's own 4xx passed on.
    var apiError: APIError {
        let status: HTTPResponseStatus = switch self {
        case .notFound: .notFound
        case .containerRunning, .conflict: .conflict
        case .engineError(let status, _) where (400..<500).contains(status): HTTPResponseStatus(statusCode: status)
        default: .serviceUnavailable
        }
        return APIError(status: status, code: code, message: message)
    }
}

enum ContainerDiscovery {
    /// Discovers one host now; the host row records success or the engine's error either way, and
    /// the container alert rules see the result either way.
    @discardableResult
    static func run(_ host: ContainerHostRecord, application: Application, database: any Database) async throws -> InventoryStore.Outcome {
        let outcome: InventoryStore.Outcome
        let engine: any ContainerEngine
        do {
            (outcome, engine) = try await discover(host, application: application, database: database)
        } catch {
            await evaluateAlerts(host, application: application, database: database)
            throw error
        }
        await evaluateAlerts(host, application: application, database: database)
        await ContainerStatsSampler.sample(host, engine: engine, application: application, database: database)
        // Connected: from now on the host's events are history as they happen.
        await ContainerEventWatch.ensureRunning(host, application: application)
        return outcome
    }

    /// A failure here is logged, not thrown: the inventory is stored, only the alerts wait for the next discovery.
    private static func evaluateAlerts(_ host: ContainerHostRecord, application: Application, database: any Database) async {
        do {
            try await ContainerAlerts.afterDiscovery(host, alerts: application.unity.alerts, database: database, now: Date())
        } catch {
            application.logger.warning("container alerts not evaluated", metadata: ["host": "\(host.name)", "error": "\(error)"])
        }
    }

    private static func discover(_ host: ContainerHostRecord, application: Application, database: any Database) async throws
        -> (InventoryStore.Outcome, any ContainerEngine) {
        let engine: any ContainerEngine
        do {
            engine = try await application.containerEngines.engine(for: host, application: application)
        } catch let error as ContainerEngineError {
            host.record(error)
            try await host.save(on: database)
            if let id = host.id { await application.containerEngineCache.evict(id) }
            throw error
        }
        do {
            return (try await InventoryStore.discover(host, engine: engine, on: database, now: { Date() }), engine)
        } catch {
            if let id = host.id { await application.containerEngineCache.evict(id) }
            throw error
        }
    }
}
