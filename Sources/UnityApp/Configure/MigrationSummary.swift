import Fluent
import Vapor

/// Applies pending migrations with one line at info ("applied 21 migrations", "up to date");
/// Fluent's own line per migration goes to debug, where someone looking for it will find it.
enum MigrationSummary {
    static func apply(_ app: Application) async throws {
        app.fluent.migrationLogLevel = .debug
        try await app.migrator.setupIfNeeded().get()
        let pending = try await app.migrator.previewPrepareBatch().get().count
        try await app.autoMigrate()
        let total = AllMigrations.list.count
        if pending == 0 {
            app.logger.info("database up to date (\(total) migrations)")
        } else {
            app.logger.info("database ready: applied \(pending) of \(total) migrations")
        }
    }
}
