import Fluent
import SQLKit
import Vapor

/// `unity backup FILE`: a consistent copy of the SQLite database while Unity keeps running.
/// `VACUUM INTO` reads one snapshot inside a transaction, so concurrent writes never tear it.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "where to write the copy (must not exist)")
        var file: String
    }

    var help: String { "Write a consistent online copy of the SQLite database" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard case .sqlite = app.unity.config.database else {
            throw CommandError("backup copies the embedded SQLite database; for PostgreSQL use pg_dump")
        }
        guard !FileManager.default.fileExists(atPath: signature.file) else {
            throw CommandError("\(signature.file) already exists; choose a new file")
        }
        guard let sql = app.db as? any SQLDatabase else { throw CommandError("the database does not speak SQL") }
        try await sql.raw("VACUUM INTO \(bind: signature.file)").run()
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: signature.file)
        try await AuditLog.record(.init(actorType: "system", actorName: "cli", action: "cli.backup", outcome: "success",
                                        details: ["file": signature.file]), on: app.db)
        context.console.print("Wrote \(signature.file). Keep it with the master key: the copy's secrets need it.")
    }
}
