import Fluent
import Foundation
import UnityCore
import UnityACME
import UnityAlerts
import UnitySSH
import Vapor

/// Wires Unity into a Vapor application: database and migrations, secrets, tokens, metrics,
/// tasks, routes, and (only when `serving`) the scheduler.
///
/// `bcryptCost` exists for tests, which create many users; production always uses the default.
public func configure(_ app: Application, config: AppConfig, serving: Bool, bcryptCost: Int = 12) async throws {
    try prepareDataDirectory(config)
    app.http.server.configuration.hostname = config.bindHost
    app.http.server.configuration.port = config.bindPort
    app.routes.defaultMaxBodySize = ByteCount(value: config.maxBodySize)
    app.passwords.use(.bcrypt(cost: bcryptCost))

    // The API's conventions apply to every body: snake_case keys, ISO-8601 timestamps.
    ContentConfiguration.global.use(encoder: JSONEncoder.unity, for: .json)
    ContentConfiguration.global.use(decoder: JSONDecoder.unity, for: .json)

    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .debug))
    app.middleware.use(MetricsMiddleware())
    app.middleware.use(RequestIDHeaderMiddleware())
    // Outside the error middleware, so error pages get the same headers as every other page.
    app.middleware.use(WebSecurityHeaders())
    app.middleware.use(UnityErrorMiddleware())

    try app.useDatabase(config.database)
    app.migrations.add(AllMigrations.list)
    try await SQLiteTuning.apply(on: app.db)

    let (secrets, createdKeyFile) = try MasterKeyStore.load(config: config)
    let tokens = try await StartupLock.run(on: app.db) {
        try await MigrationSummary.apply(app)
        try await MasterKeyStore.verify(secrets, on: app.db, keyFileJustCreated: createdKeyFile)
        if serving { try await FirstAdmin.ensure(application: app, config: config) }
        try await DefaultAlertRules.ensure(on: app.db)
        return try await TokenService.make(database: app.db, secrets: secrets, config: config)
    }

    let tasks = TaskRegistry(overrides: config.taskIntervals)
    PlatformTasks.all(auditRetentionDays: config.auditRetentionDays).forEach(tasks.register)

    let replica = config.replicaID ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    let sshWorkspace = try openSSHWorkspace(config)
    if let hooks = config.dnsHooksDirectory {
        do { _ = try DNSHookDirectory(path: hooks) } catch { throw ConfigError(setting: "UNITY_DNS_HOOKS_DIR", reason: error.description) }
    }
    let ssh = try AutomaticExecutor(workspace: sshWorkspace)
    let alerts = AlertPipeline(database: { [unowned app] in app.db }, secrets: secrets, publicURL: config.publicURL,
                               logger: Logger(label: "unity.alerts"), sender: ChannelSender(),
                               burst: config.notificationBurst, window: TimeInterval(config.notificationWindow))
    // A run whose replica died is resumed by the replica whose sweep finds it, once this one booted.
    let updatesBooted = LockedValue(false)
    let updateRuns = ContainerUpdateRunKind(handOver: { [unowned app] in
        if updatesBooted.withLock({ $0 }) { await ContainerUpdateRuns.resumeUnfinished(application: app, atStart: false) }
    })
    let jobs = BackgroundJobs(replica: replica, kinds: [DistributionJobKind(), ACMEAttemptKind(), updateRuns], database: { [unowned app] in app.db },
                              logger: Logger(label: "unity.jobs"))
    let passwords = PasswordHashing(hasher: app.password.sync)
    app.unity = UnityServices(config: config, secrets: secrets, tokens: tokens, metrics: UnityMetrics(), tasks: tasks,
                              replicaID: replica, ssh: ssh, sshWorkspace: sshWorkspace, alerts: alerts, jobs: jobs,
                              passwords: passwords)
    AlertTasks.all.forEach(tasks.register)
    InfrastructureTasks.all(retention: HistoryRetention()).forEach(tasks.register)
    tasks.register(CertificateExpiry.task)
    tasks.register(KeyUsage.task)
    tasks.register(ACMERenewal.task)
    tasks.register(DatabaseBackup.task)
    tasks.register(ServedCertificateCheck.task)
    tasks.register(CredentialAuditArchive.task)
    tasks.register(ContainerDiscoveryTask.task)
    tasks.register(ContainerUpdateChecks.task)
    app.lifecycle.use(SSHShutdown(executor: ssh))
    // Registered after the SSH pool: shutdown runs in reverse, so kept engine channels end first.
    app.containerEngineCache = ContainerEngineCache()
    app.containerResourceSamples = ContainerResourceSamples()
    app.lifecycle.use(ContainerEngineCacheShutdown(cache: app.containerEngineCache))
    app.containerUpdates = ContainerUpdateService(database: { [unowned app] in app.db }, secrets: secrets, logger: Logger(label: "unity.registry"))
    app.lifecycle.use(ContainerUpdateServiceShutdown(service: app.containerUpdates))
    app.containerUpdateApply = .live(app)
    app.lifecycle.use(AlertPipelineShutdown(pipeline: alerts))
    app.lifecycle.use(BackgroundJobsShutdown(jobs: jobs))
    app.lifecycle.use(PasswordHashingShutdown(hashing: passwords))
    // Before this process starts any job: whatever a dead process (this replica's predecessor
    // included) left running is interrupted, with the reason, and can be retried.
    if serving { await jobs.sweep(atStart: true) }
    // Update runs are not ended by that sweep (a half-done update needs the engine): they are
    // handed to the engine's resume when the application boots, before it serves requests.
    if serving { app.lifecycle.use(ContainerUpdateResumeAtStart(booted: updatesBooted)) }

    try routes(app)
    registerCommands(app)

    if serving, case .sqlite(let path) = config.database { app.lifecycle.use(try ServeLock.shared(database: path)) }
    if serving, config.schedulerEnabled { app.lifecycle.use(Scheduler()) }
}

func prepareDataDirectory(_ config: AppConfig) throws {
    let needsFolder: Bool
    switch config.database {
    case .sqlite: needsFolder = true
    case .sqliteInMemory, .postgres: needsFolder = config.masterKey == nil
    }
    guard needsFolder else { return }
    do {
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    } catch {
        throw ConfigError(setting: "UNITY_DATA_DIR", reason: "cannot create \(config.dataDirectory): \(error.localizedDescription)")
    }
}

/// `<data dir>/run`, private, with what a crashed process left there (key files among it) removed.
private func openSSHWorkspace(_ config: AppConfig) throws -> OpenSSHWorkspace {
    let root = URL(fileURLWithPath: config.dataDirectory).standardizedFileURL.path + "/run"
    guard root.utf8.count <= OpenSSHWorkspace.maximumRootLength else {
        throw ConfigError(setting: "UNITY_DATA_DIR", reason: "\(root.dropLast(4)) is longer than \(OpenSSHWorkspace.maximumRootLength - 4) characters, "
                          + "too long for the OpenSSH control sockets under it")
    }
    do {
        let workspace = try OpenSSHWorkspace(root: root)
        workspace.sweepLeftovers()
        return workspace
    } catch {
        throw ConfigError(setting: "UNITY_DATA_DIR", reason: "\(error)")
    }
}

func registerCommands(_ app: Application) {
    app.asyncCommands.use(UnityServeCommand(), as: "serve", isDefault: true)
    app.asyncCommands.use(UserCommand(), as: "user")
    app.asyncCommands.use(RotateMasterKeyCommand(), as: "rotate-master-key")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(config: nil), as: "restore")
    app.asyncCommands.use(TaskCommand(), as: "task")
}

/// Closes pooled SSH connections and OpenSSH master processes when the application stops.
struct SSHShutdown: LifecycleHandler {
    let executor: any SSHExecutor

    func shutdownAsync(_ application: Application) async { await executor.shutdown() }
}

/// Delivers held notifications, waits for queued ones, closes live streams.
struct AlertPipelineShutdown: LifecycleHandler {
    let pipeline: AlertPipeline

    func shutdownAsync(_ application: Application) async { await pipeline.shutdown() }
}

/// Echoes the request id Vapor assigned, so an operator can match a response to its log lines.
struct RequestIDHeaderMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Request-Id", value: request.id)
        return response
    }
}
