import Foundation
import SQLKit
import UnityCore
import UnityTestSupport
import Vapor
@testable import UnityApp

/// One data folder and one database (a SQLite file or a scratch PostgreSQL database) that several
/// Unity processes open one after another, as a restart would: what the first stored, the next sees.
/// Without `UNITY_MASTER_KEY` the key lives in `master.key` in the folder, as in production.
final class RestartableUnity: Sendable {
    let folder: String
    let databaseURL: String
    private let scratchDatabase: String?

    init(_ database: TestDatabase) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("unity-restart-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        switch database {
        case .sqlite:
            databaseURL = "sqlite://\(folder)/unity.sqlite"
            scratchDatabase = nil
        case .postgres:
            let name = "unity_test_\(UUID().uuidString.prefix(8).lowercased())"
            databaseURL = try TestPostgres.createDatabase(name)
            scratchDatabase = name
        }
    }

    var keyFile: String { folder + "/master.key" }
    var nextKeyFile: String { folder + "/master.key.next" }

    func config(_ extra: [String: String] = [:]) throws -> AppConfig {
        var values = ["UNITY_DATA_DIR": folder, "DATABASE_URL": databaseURL, "UNITY_SCHEDULER": "off",
                      "UNITY_LOG_LEVEL": "warning", "UNITY_ADMIN_PASSWORD": TestClient.adminPassword]
        values.merge(extra) { $1 }
        return try AppConfig.parse(values)
    }

    /// Starts Unity as `serve` would (migrations, first admin), runs `body`, shuts it down on every path.
    func run<T>(_ extra: [String: String] = [:], _ body: (Application) async throws -> T) async throws -> T {
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: try config(extra), serving: true, bcryptCost: 4)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// `unity rotate-master-key` as the command line runs it, on a configured application.
    static func rotateMasterKey(_ app: Application, arguments: [String] = []) async throws {
        var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["unity"] + arguments))
        context.application = app
        try await RotateMasterKeyCommand().run(using: &context)
    }

    /// Every non-empty value of every `sealed_*` column of the migrated schema, by `table.column`,
    /// read from the database catalogue rather than from Unity's own list of columns.
    static func sealedValues(_ app: Application) async throws -> [String: [String]] {
        guard let sql = app.db as? any SQLDatabase else { throw TestSupportError("the database does not speak SQL") }
        var values: [String: [String]] = [:]
        for (table, column) in try await SchemaCatalogue.sealedColumns(sql) {
            let rows = try await sql.select().column(SQLIdentifier(column)).from(table).all()
            values["\(table).\(column)"] = try rows.compactMap { try $0.decode(column: column, as: String?.self) }
        }
        return values
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: folder)
        if let scratchDatabase { try? TestPostgres.dropDatabase(scratchDatabase) }
    }
}

/// The columns named `sealed_*` in the live schema, from the database's own catalogue.
enum SchemaCatalogue {
    static func sealedColumns(_ sql: any SQLDatabase) async throws -> [(table: String, column: String)] {
        var found: [(String, String)] = []
        if sql.dialect.name == "sqlite" {
            let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
            for table in try tables.map({ try $0.decode(column: "name", as: String.self) }) {
                let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                for column in try columns.map({ try $0.decode(column: "name", as: String.self) }) where column.hasPrefix("sealed_") {
                    found.append((table, column))
                }
            }
        } else {
            let rows = try await sql.raw("""
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND column_name LIKE 'sealed\\_%'
                """).all()
            for row in rows {
                found.append((try row.decode(column: "table_name", as: String.self), try row.decode(column: "column_name", as: String.self)))
            }
        }
        return found.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
