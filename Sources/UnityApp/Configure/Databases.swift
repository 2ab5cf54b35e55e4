import FluentPostgresDriver
import FluentSQLiteDriver
import UnityCore
import Vapor

extension Application {
    /// SQLite in the data folder by default; PostgreSQL when `DATABASE_URL` says so.
    func useDatabase(_ database: AppConfig.Database) throws {
        switch database {
        case .sqlite(let path):
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .sqliteInMemory:
            databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            do {
                var configuration = try SQLPostgresConfiguration(url: url)
                configuration.searchPath = nil
                databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
            } catch {
                throw ConfigError(setting: "DATABASE_URL", reason: "not a usable PostgreSQL URL")
            }
        }
    }

}

/// SQLite settings that make a file database safe for a server: WAL lets readers run while a task
/// writes, and foreign keys are off by default in SQLite.
enum SQLiteTuning {
    static func apply(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=NORMAL").run()
    }
}
