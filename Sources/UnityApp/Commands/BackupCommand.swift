import Fluent
import SQLKit
import UnityCore
import Vapor

/// `unity backup FILE`: a consistent copy of the database while Unity keeps running (`DatabaseBackup`).
/// `--include-master-key` also writes `FILE.master-key`.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "where to write the copy (must not exist)")
        var file: String

        @Flag(name: "include-master-key", help: "also write FILE.master-key: whoever holds both files can read every secret")
        var includeMasterKey: Bool
    }

    var help: String { "Write a consistent online copy of the database (SQLite or PostgreSQL)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let file = signature.file
        let keyFile = file + ".master-key"
        if signature.includeMasterKey, FileManager.default.fileExists(atPath: keyFile) {
            throw CommandError("\(keyFile) already exists; choose a new file")
        }
        try await DatabaseBackup.write(to: file, app: app)
        if signature.includeMasterKey {
            try MasterKeyStore.writeKeyFile(app.unity.secrets.primary, to: keyFile)
        }
        try await AuditLog.record(.init(actorType: "system", actorName: "cli", action: "cli.backup", outcome: "success",
                                        details: ["file": file, "master_key_included": "\(signature.includeMasterKey)"]), on: app.db)
        if signature.includeMasterKey {
            context.console.warning("Wrote \(file) and \(keyFile). Together they open every stored secret: keep them apart, or both encrypted.")
        } else {
            context.console.print("Wrote \(file). Keep the master key too (master.key or UNITY_MASTER_KEY): the copy's secrets need it.")
        }
    }
}

/// `unity restore FILE`: runs without opening the database first (see `RestoreMode`), so nothing is
/// migrated or replaced before the backup has been checked.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "a file written by unity backup")
        var file: String

        @Option(name: "master-key-file", help: "the backup's master key (FILE.master-key) when it is not this Unity's")
        var masterKeyFile: String?

        @Flag(name: "force", help: "PostgreSQL: restore although other sessions use the database")
        var force: Bool
    }

    /// nil only where commands are registered for their help text.
    let config: AppConfig?

    var help: String { "Replace the database with a backup (Unity stopped; the replaced data is kept)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let config else { throw CommandError("restore runs only as `unity restore FILE`") }
        let restore = DatabaseRestore(config: config, knownMigrations: AllMigrations.list.map(\.name))
        let message = try await restore.run(file: signature.file, masterKeyFile: signature.masterKeyFile, force: signature.force)
        context.console.print(message + " Start Unity to bring the schema forward.")
    }
}

/// `unity restore` only: the commands are registered without configuring the database, because
/// configuring would open and migrate the very database the restore is about to check and replace.
public enum RestoreMode {
    public static func requested(_ arguments: [String]) -> Bool { arguments.dropFirst().first == "restore" }

    public static func configure(_ app: Application, config: AppConfig) {
        app.asyncCommands.use(RestoreCommand(config: config), as: "restore")
    }
}
