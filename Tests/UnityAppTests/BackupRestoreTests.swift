import FluentSQLiteDriver
import Foundation
import Testing
import UnityCore
import UnityTestSupport
import Vapor
@testable import UnityApp

/// `unity backup` then `unity restore`, as an admin runs them, on SQLite and on PostgreSQL (pg_dump /
/// pg_restore against the test's real server): a sealed secret made before the backup opens after the
/// restore, what was replaced is kept, and every refusal (wrong master key, newer schema, Unity still
/// running) happens before anything is replaced.
@Suite("backup and restore", .timeLimit(.minutes(3)))
struct BackupRestoreTests {
    @Test("backup → lose data → wrong key refused → restore → the sealed key reveals again", arguments: TestDatabase.available)
    func roundTrip(database: TestDatabase) async throws {
        let unity = try RestartableUnity(database)
        defer { unity.cleanUp() }
        let backup = unity.folder + "/saved/unity.backup"
        try FileManager.default.createDirectory(atPath: unity.folder + "/saved", withIntermediateDirectories: true)
        let keyID = try await unity.run { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let id = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "kept", "type": "ed25519"]).json["id"] as? String)
            try await Self.command(BackupCommand(), app, [backup, "--include-master-key"])
            // Data lost after the backup.
            #expect(try await client.send(.DELETE, "/api/v1/ssh-keys/\(id)", token: admin).status == .noContent)
            // A restore while serve runs is refused (SQLite: the serve lock; PostgreSQL: other sessions).
            await #expect(throws: UnityApp.CommandError.self) { try await Self.restore(unity, backup, masterKeyFile: backup + ".master-key") }
            return id
        }
        #expect(FileManager.default.fileExists(atPath: backup + ".master-key"))
        #expect((try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int) == 0o600)

        // A key that is not the backup's: refused, and the live database is untouched.
        let wrongKey = unity.folder + "/wrong.key"
        try MasterKeyStore.writeKeyFile(MasterKey.generate(), to: wrongKey)
        let refusal = await #expect(throws: UnityApp.CommandError.self) { try await Self.restore(unity, backup, masterKeyFile: wrongKey) }
        #expect(refusal?.description.contains("nothing was replaced") == true, "\(String(describing: refusal))")
        try await unity.run { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            #expect(try await client.send(.GET, "/api/v1/ssh-keys/\(keyID)", token: admin).status == .notFound, "nothing was restored")
        }

        let message = try await Self.restore(unity, backup, masterKeyFile: backup + ".master-key")
        #expect(message.contains("kept"), "\(message)")
        try await unity.run { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let revealed = try await client.send(.POST, "/api/v1/ssh-keys/\(keyID)/reveal", token: admin)
            #expect(revealed.status == .ok && (revealed.json["private_key"] as? String)?.contains("OPENSSH PRIVATE KEY") == true,
                    "the sealed key opens after the restore: \(revealed.status)")
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: database == .sqlite ? unity.folder : unity.folder + "/backups")
        #expect(kept.contains { $0.contains("replaced-") }, "the replaced data is kept: \(kept)")
    }

    @Test("the daily database-backup task writes restorable backups and keeps the newest UNITY_BACKUPS_KEPT", arguments: TestDatabase.available)
    func scheduledBackups(database: TestDatabase) async throws {
        let unity = try RestartableUnity(database)
        defer { unity.cleanUp() }
        try await unity.run(["UNITY_BACKUPS_KEPT": "2"]) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            for _ in 0..<3 {
                let run = try await client.send(.POST, "/api/v1/tasks/database-backup/run", token: admin)
                #expect(run.status == .ok, "\(run.body)")
            }
        }
        let folder = unity.folder + "/backups"
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("unity-") }.sorted()
        #expect(kept.count == 2, "\(kept)")
        let newest = try #require(kept.last)
        let contents = database == .sqlite ? try await DatabaseRestore.inspectSQLite(folder + "/" + newest)
            : try await DatabaseRestore.inspectPostgres(folder + "/" + newest, tools: try PostgresClientTools(url: unity.databaseURL, scratchDirectory: unity.folder + "/run"))
        #expect(contents.migrations.count == AllMigrations.list.count && contents.masterKeyCheck != nil)
    }

    @Test("a backup from a newer Unity is refused before anything is replaced")
    func newerSchemaRefused() async throws {
        let unity = try RestartableUnity(.sqlite)
        defer { unity.cleanUp() }
        let backup = unity.folder + "/newer.sqlite"
        try await unity.run { app in try await Self.command(BackupCommand(), app, [backup]) }
        let connection = try await SQLiteConnection.open(storage: .file(path: backup))
        _ = try await connection.query("INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at) VALUES (?, '999-from-the-future', 99, NULL, NULL)",
                                       [.text(UUID().uuidString)])
        try await connection.close()
        let live = try Data(contentsOf: URL(fileURLWithPath: unity.folder + "/unity.sqlite"))
        let refusal = await #expect(throws: UnityApp.CommandError.self) { try await Self.restore(unity, backup) }
        #expect(refusal?.description.contains("999-from-the-future") == true, "\(String(describing: refusal))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: unity.folder + "/unity.sqlite")) == live)
        await #expect(throws: UnityApp.CommandError.self) { try await Self.restore(unity, unity.folder + "/master.key") }
    }

    @Test("pg_restore's COPY text is read back, escapes and NULLs included")
    func copyText() {
        let script = """
        SET statement_timeout = 0;
        COPY public._fluent_migrations (id, name, batch) FROM stdin;
        1\t001-platform-create-users\t1
        2\ta\\\\b\\tc\t\\N
        \\.
        COPY public.system_secrets (name, sealed_value, updated_at) FROM stdin;
        master_key_check\tunity:v1:abc:xyz\t\\N
        \\.
        """
        let rows = PostgresCopyText.rows(of: "_fluent_migrations", in: script)
        #expect(rows.map { $0["name"] ?? nil } == ["001-platform-create-users", "a\\b\tc"])
        #expect(rows[1]["batch"] == .some(nil))
        #expect(PostgresCopyText.rows(of: "system_secrets", in: script).first?["sealed_value"] == "unity:v1:abc:xyz")
        #expect(PostgresCopyText.rows(of: "users", in: script).isEmpty)
    }

    static func command<C: AsyncCommand>(_ command: C, _ app: Application, _ arguments: [String]) async throws {
        var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["unity"] + arguments))
        context.application = app
        try await command.run(using: &context)
    }

    static func restore(_ unity: RestartableUnity, _ file: String, masterKeyFile: String? = nil) async throws -> String {
        let restore = DatabaseRestore(config: try unity.config(), knownMigrations: AllMigrations.list.map(\.name))
        return try await restore.run(file: file, masterKeyFile: masterKeyFile, force: false)
    }
}
