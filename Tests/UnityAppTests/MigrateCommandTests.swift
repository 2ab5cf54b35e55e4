import Fluent
import Foundation
import SQLKit
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// `unity migrate --dry-run` lists and applies nothing, `unity migrate` applies, and a database that a
/// newer Unity migrated is refused by every start and by the command, before anything changes.
@Suite struct MigrateCommandTests {
    static func migrate(_ app: Application, _ arguments: [String]) async throws {
        var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["unity"] + arguments))
        context.application = app
        try await UnityMigrateCommand().run(using: &context)
    }

    /// The application `unity migrate` gets: the database and its migrations, nothing else.
    static func withMigrateMode<T>(_ unity: RestartableUnity, _ body: (Application) async throws -> T) async throws -> T {
        let app = try await Application.make(.testing)
        do {
            try MigrateMode.configure(app, config: try unity.config())
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    static func applied(_ app: Application) async throws -> Int {
        try await (app.db as! any SQLDatabase).select().column("name").from("_fluent_migrations").all().count
    }

    @Test(arguments: TestDatabase.available)
    func dryRunListsAndAppliesNothingThenMigrateApplies(database: TestDatabase) async throws {
        let unity = try RestartableUnity(database)
        defer { unity.cleanUp() }
        try await Self.withMigrateMode(unity) { app in
            #expect(try await MigrationSummary.pending(app) == AllMigrations.list.map(\.name))
            try await Self.migrate(app, ["--dry-run"])
            #expect(try await Self.applied(app) == 0)
            try await Self.migrate(app, [])
            #expect(try await Self.applied(app) == AllMigrations.list.count)
            #expect(try await MigrationSummary.pending(app).isEmpty)
        }
        // The migrated folder starts as usual.
        let users = try await unity.run { app in try await User.query(on: app.db).count() }
        #expect(users == 1)
    }

    @Test(arguments: TestDatabase.available)
    func aDatabaseFromANewerUnityIsRefusedBeforeAnythingChanges(database: TestDatabase) async throws {
        let unity = try RestartableUnity(database)
        defer { unity.cleanUp() }
        try await unity.run { app in
            try await MigrationLog(name: "999-from-a-newer-unity", batch: 99).create(on: app.db)
        }
        await #expect(throws: NewerSchemaError.self) { try await unity.run { _ in } }
        let logged = try await Self.withMigrateMode(unity) { app in
            await #expect(throws: NewerSchemaError.self) { try await Self.migrate(app, ["--dry-run"]) }
            await #expect(throws: NewerSchemaError.self) { try await Self.migrate(app, []) }
            return try await Self.applied(app)
        }
        #expect(logged == AllMigrations.list.count + 1)
        let message = NewerSchemaError(unknownMigrations: ["999-from-a-newer-unity"]).description
        #expect(message.contains("999-from-a-newer-unity") && message.contains("Nothing was changed"))
    }
}
