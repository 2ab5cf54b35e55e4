import Fluent
import SQLKit
import Vapor

/// Applies pending migrations with one line at info ("applied 21 migrations", "up to date");
/// Fluent's own line per migration goes to debug, where someone looking for it will find it.
/// A database migrated by a newer Unity is refused first: running old code on a newer schema is
/// how a downgrade corrupts data, and migrations only go forward.
enum MigrationSummary {
    static func apply(_ app: Application) async throws {
        app.fluent.migrationLogLevel = .debug
        try await app.migrator.setupIfNeeded().get()
        try await refuseNewerSchema(app.db)
        let pending = try await app.migrator.previewPrepareBatch().get().count
        try await app.autoMigrate()
        let total = AllMigrations.list.count
        if pending == 0 {
            app.logger.info("database up to date (\(total) migrations)")
        } else {
            app.logger.info("database ready: applied \(pending) of \(total) migrations")
        }
    }

    /// The names of the migrations this Unity would apply now, in order.
    static func pending(_ app: Application) async throws -> [String] {
        try await app.migrator.setupIfNeeded().get()
        try await refuseNewerSchema(app.db)
        return try await app.migrator.previewPrepareBatch().get().map { $0.0.name }
    }

    static func refuseNewerSchema(_ database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let applied = try await sql.select().column("name").from("_fluent_migrations").all().compactMap { try? $0.decode(column: "name", as: String.self) }
        let known = Set(AllMigrations.list.map(\.name))
        let unknown = applied.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty { throw NewerSchemaError(unknownMigrations: unknown) }
    }
}

struct NewerSchemaError: Error, CustomStringConvertible {
    let unknownMigrations: [String]

    var description: String {
        "this database was migrated by a newer Unity (migrations this version does not know: \(unknownMigrations.joined(separator: ", "))). "
            + "Nothing was changed. Run that version or newer, or restore a backup this version made (`unity restore FILE`)."
    }
}
