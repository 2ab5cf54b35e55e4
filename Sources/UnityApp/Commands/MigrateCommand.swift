import Fluent
import UnityCore
import Vapor

/// `unity migrate [--dry-run]`: brings the schema forward (what every start does anyway), or only
/// lists what would be applied. Runs without the master key, the scheduler or the first admin, so
/// an operator can look before upgrading; a newer database is refused either way.
struct UnityMigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "dry-run", help: "list the pending migrations and change nothing")
        var dryRun: Bool
    }

    var help: String { "Apply pending database migrations, or list them with --dry-run" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let pending = try await MigrationSummary.pending(app)
        if signature.dryRun {
            guard !pending.isEmpty else {
                context.console.print("database up to date (\(AllMigrations.list.count) migrations); nothing would be applied")
                return
            }
            context.console.print("\(pending.count) pending migration\(pending.count == 1 ? "" : "s") would be applied:")
            for name in pending { context.console.print("  \(name)") }
            return
        }
        try await StartupLock.run(on: app.db) { try await MigrationSummary.apply(app) }
        context.console.print(pending.isEmpty ? "database up to date (\(AllMigrations.list.count) migrations)"
                                              : "applied \(pending.count) migration\(pending.count == 1 ? "" : "s")")
    }
}

/// `unity migrate` only: the database is opened and its migrations registered, nothing else, so a
/// dry run really changes nothing (a normal start would migrate while configuring).
public enum MigrateMode {
    public static func requested(_ arguments: [String]) -> Bool { arguments.dropFirst().first == "migrate" }

    public static func configure(_ app: Application, config: AppConfig) throws {
        try prepareDataDirectory(config)
        try app.useDatabase(config.database)
        app.migrations.add(AllMigrations.list)
        // After Fluent registered its own `migrate` (on first use above), so this one replaces it.
        app.asyncCommands.use(UnityMigrateCommand(), as: "migrate")
    }
}
