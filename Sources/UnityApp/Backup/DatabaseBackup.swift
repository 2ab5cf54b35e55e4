import Fluent
import Foundation
import SQLKit
import Vapor

/// One consistent copy of the running database: SQLite with `VACUUM INTO` (one snapshot inside a
/// transaction, so concurrent writes never tear it), PostgreSQL with `pg_dump --format=custom`.
/// Used by `unity backup` and by the daily `database-backup` task.
enum DatabaseBackup {
    static func write(to file: String, app: Application) async throws {
        guard !FileManager.default.fileExists(atPath: file) else { throw CommandError("\(file) already exists; choose a new file") }
        switch app.unity.config.database {
        case .sqlite:
            guard let sql = app.db as? any SQLDatabase else { throw CommandError("the database does not speak SQL") }
            try await sql.raw("VACUUM INTO \(bind: file)").run()
        case .postgres(let url):
            let tools = try PostgresClientTools(url: url, scratchDirectory: app.unity.config.dataDirectory + "/run")
            try await tools.run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file=\(file)"])
        case .sqliteInMemory:
            throw CommandError("an in-memory database has nothing to back up")
        }
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
    }

    /// `unity-<UTC time>.sqlite|.dump` in `<data>/backups`, then only the newest `keep` stay.
    static let task = ScheduledTask(name: "database-backup", summary: "Back up the database into <data>/backups and keep the newest UNITY_BACKUPS_KEPT",
                                    interval: 86_400, jitter: 3_600) { context in
        let app = context.application
        let keep = app.unity.config.backupsKept
        guard keep > 0 else { return "off (UNITY_BACKUPS_KEPT=0)" }
        let folder = app.unity.config.dataDirectory + "/backups"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let suffix = if case .postgres = app.unity.config.database { "dump" } else { "sqlite" }
        let name = "unity-\(stamp(Date())).\(suffix)"
        try await write(to: folder + "/" + name, app: app)
        let removed = try prune(folder, keep: keep)
        return "wrote backups/\(name); removed \(removed) older backups"
    }

    /// Names sort by time, so the oldest are first. Only files this task names are touched.
    static func prune(_ folder: String, keep: Int) throws -> Int {
        let ours = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("unity-") && ($0.hasSuffix(".sqlite") || $0.hasSuffix(".dump")) }.sorted()
        let old = ours.dropLast(keep)
        for name in old { try FileManager.default.removeItem(atPath: folder + "/" + name) }
        return old.count
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return formatter.string(from: date)
    }
}
