import UnityCore
import Vapor

/// `unity --help` and `unity COMMAND --help` only print: no database, no migration, no data
/// folder, no `master.key`. The commands are registered so their help exists; nothing else is.
public enum HelpMode {
    /// True when the arguments ask for help anywhere (`-h`/`--help`, as Vapor's console reads them).
    public static func requested(_ arguments: [String]) -> Bool {
        arguments.dropFirst().contains { $0 == "--help" || $0 == "-h" }
    }

    public static func configure(_ app: Application) {
        // A database that is never opened: the commands (and `migrate`) exist for their help only.
        try? app.useDatabase(.sqliteInMemory)
        registerCommands(app)
        app.asyncCommands.use(UnityMigrateCommand(), as: "migrate")
    }
}
