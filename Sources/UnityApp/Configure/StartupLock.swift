import Fluent
import SQLKit

/// Serialises start-up work (migrations, first secrets, the first admin) across replicas sharing a
/// PostgreSQL database: two `unity serve` processes started together would otherwise both create
/// the same tables and rows. The advisory lock lives on one pinned connection for the duration.
/// SQLite needs no lock: it is one process's embedded database.
enum StartupLock {
    static let key: Int64 = 0x756E_6974_7900  // "unity\0"

    static func run<T: Sendable>(on database: any Database, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return try await body() }
        return try await database.withConnection { connection in
            guard let pinned = connection as? any SQLDatabase else { return try await body() }
            try await pinned.raw("SELECT pg_advisory_lock(\(bind: key))").run()
            do {
                let result = try await body()
                try await pinned.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
                return result
            } catch {
                try? await pinned.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
                throw error
            }
        }
    }
}
