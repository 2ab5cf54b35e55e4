import FluentSQLiteDriver
import Foundation
import UnityCore

/// `unity restore FILE`: puts a backup back, refusing before anything is replaced when the backup is
/// from a newer Unity, is not a Unity backup, or when the master key Unity will start with cannot open
/// its secrets. What was replaced is kept next to it (`….replaced-<time>`). Unity must be stopped:
/// for SQLite the serve lock proves it; for PostgreSQL other sessions on the database refuse it
/// unless `force`.
struct DatabaseRestore {
    let config: AppConfig
    let knownMigrations: [String]
    var now: Date = Date()

    func run(file: String, masterKeyFile: String?, force: Bool) async throws -> String {
        guard FileManager.default.isReadableFile(atPath: file) else { throw CommandError("\(file) does not exist or is not readable") }
        let box = try masterKeyBox(masterKeyFile)
        switch config.database {
        case .sqlite(let path):
            let contents = try await Self.inspectSQLite(file)
            try contents.checkSchema(known: knownMigrations)
            try contents.checkMasterKey(box)
            guard let lock = try ServeLock.exclusive(database: path) else {
                throw CommandError("unity serve is running on \(path); stop it before restoring")
            }
            defer { lock.release() }
            let replaced = try replaceSQLite(path, with: file)
            let key = try installMasterKey(masterKeyFile)
            return "Restored \(file) into \(path).\(replaced.map { " The replaced database is kept as \($0)." } ?? "")\(key)"
        case .postgres(let url):
            let tools = try PostgresClientTools(url: url, scratchDirectory: config.dataDirectory + "/run")
            let contents = try await Self.inspectPostgres(file, tools: tools)
            try contents.checkSchema(known: knownMigrations)
            try contents.checkMasterKey(box)
            if !force { try await refuseOtherSessions(tools) }
            let kept = try await replacePostgres(tools, with: file)
            let key = try installMasterKey(masterKeyFile)
            return "Restored \(file) into PostgreSQL database \(tools.target.database). The replaced contents are kept in \(kept).\(key)"
        case .sqliteInMemory:
            throw CommandError("an in-memory database cannot be restored")
        }
    }

    private var stamp: String { DatabaseBackup.stamp(now) }

    /// The key Unity will start with after the restore: the given file, else UNITY_MASTER_KEY or the
    /// data folder's master.key. Never creates a key.
    private func masterKeyBox(_ masterKeyFile: String?) throws -> SecretBox {
        if let masterKeyFile {
            guard config.masterKey == nil else {
                throw CommandError("UNITY_MASTER_KEY is set, so Unity starts with it: set it to the backup's key instead of --master-key-file")
            }
            return SecretBox(primary: try Self.readKey(masterKeyFile), others: [])
        }
        if let configured = config.masterKey { return SecretBox(primary: try MasterKey(base64: configured), others: []) }
        guard FileManager.default.fileExists(atPath: config.masterKeyFile) else {
            throw CommandError("\(config.masterKeyFile) does not exist: pass the backup's key with --master-key-file")
        }
        return SecretBox(primary: try Self.readKey(config.masterKeyFile), others: [])
    }

    private static func readKey(_ path: String) throws -> MasterKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let key = try? MasterKey(base64: text) else {
            throw CommandError("\(path) does not hold a master key (base64 of 32 bytes)")
        }
        return key
    }

    /// A key passed with the backup becomes the data folder's master.key; the old one is kept beside it.
    private func installMasterKey(_ masterKeyFile: String?) throws -> String {
        guard let masterKeyFile else { return "" }
        let key = try Self.readKey(masterKeyFile)
        let target = config.masterKeyFile
        if let current = try? Self.readKey(target), current.id == key.id { return "" }
        if FileManager.default.fileExists(atPath: target) {
            try FileManager.default.moveItem(atPath: target, toPath: target + ".replaced-\(stamp)")
        }
        try MasterKeyStore.writeKeyFile(key, to: target)
        return " master.key now holds the backup's key (id \(key.id))."
    }

    static func inspectSQLite(_ file: String) async throws -> BackupContents {
        let header = FileManager.default.contents(atPath: file)?.prefix(16) ?? Data()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw CommandError("\(file) is not a SQLite backup (this Unity uses SQLite; a PostgreSQL backup restores into PostgreSQL)")
        }
        let connection = try await SQLiteConnection.open(storage: .file(path: file))
        do {
            let migrations = try await connection.query("SELECT name FROM _fluent_migrations ORDER BY created_at, name").compactMap { $0.column("name")?.string }
            let check = try await connection.query("SELECT sealed_value FROM system_secrets WHERE name = ?", [.text(MasterKeyStore.checkName)])
                .first?.column("sealed_value")?.string
            try await connection.close()
            return BackupContents(migrations: migrations, masterKeyCheck: check)
        } catch let error as CommandError {
            try? await connection.close()
            throw error
        } catch {
            try? await connection.close()
            throw CommandError("\(file) is not a Unity backup: \(error)")
        }
    }

    static func inspectPostgres(_ file: String, tools: PostgresClientTools) async throws -> BackupContents {
        let header = FileManager.default.contents(atPath: file)?.prefix(5) ?? Data()
        guard header == Data("PGDMP".utf8) else {
            throw CommandError("\(file) is not a PostgreSQL backup made by unity backup (pg_dump custom format)")
        }
        let script = String(decoding: try await tools.run("pg_restore", ["--data-only", "--table=_fluent_migrations", "--table=system_secrets", "--file=-", file]),
                            as: UTF8.self)
        let migrations = PostgresCopyText.rows(of: "_fluent_migrations", in: script).compactMap { $0["name"] ?? nil }
        let check = PostgresCopyText.rows(of: "system_secrets", in: script).first { $0["name"] == MasterKeyStore.checkName }?["sealed_value"] ?? nil
        return BackupContents(migrations: migrations, masterKeyCheck: check)
    }

    /// The live file (with its WAL) moves aside, then the backup is copied next to it and renamed in,
    /// so a crash leaves either the old database or the new one in place, never half of one.
    private func replaceSQLite(_ path: String, with file: String) throws -> String? {
        let manager = FileManager.default
        let incoming = path + ".restoring"
        try? manager.removeItem(atPath: incoming)
        try manager.copyItem(atPath: file, toPath: incoming)
        try? manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: incoming)
        var kept: String?
        if manager.fileExists(atPath: path) {
            let aside = path + ".replaced-\(stamp)"
            for suffix in ["-wal", "-shm"] where manager.fileExists(atPath: path + suffix) {
                try manager.moveItem(atPath: path + suffix, toPath: aside + suffix)
            }
            try manager.moveItem(atPath: path, toPath: aside)
            kept = aside
        }
        try manager.moveItem(atPath: incoming, toPath: path)
        return kept
    }

    private func refuseOtherSessions(_ tools: PostgresClientTools) async throws {
        let count = String(decoding: try await tools.run("psql", ["-XAtq", "-c",
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"]), as: UTF8.self)
        let sessions = Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        guard sessions == 0 else {
            throw CommandError("\(sessions) other session(s) use database \(tools.target.database): stop every unity serve first (or pass --force)")
        }
    }

    /// The current contents are dumped first; then one transaction empties the schema and loads the
    /// backup, so a failure leaves the database as it was.
    private func replacePostgres(_ tools: PostgresClientTools, with file: String) async throws -> String {
        let folder = config.dataDirectory + "/backups"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let kept = folder + "/replaced-\(stamp).dump"
        try await tools.run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file=\(kept)"])
        let script = config.dataDirectory + "/run/restore-\(UUID().uuidString).sql"
        let prelude = script + ".prelude"
        defer { try? FileManager.default.removeItem(atPath: script); try? FileManager.default.removeItem(atPath: prelude) }
        try await tools.run("pg_restore", ["--no-owner", "--no-privileges", "--file=\(script)", file])
        guard FileManager.default.createFile(atPath: prelude, contents: Data("DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n".utf8),
                                             attributes: [.posixPermissions: 0o600]) else { throw CommandError("cannot write \(prelude)") }
        try await tools.run("psql", ["-XAq", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", prelude, "-f", script])
        return kept
    }
}
