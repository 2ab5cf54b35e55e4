import Foundation
import UnityApp
import UnityCore
import Vapor
import VaporTesting

/// Which database a test runs on. App-level suites run on both.
public enum TestDatabase: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// `UNITY_TEST_POSTGRES_URL` names a server the test script started (admin URL). Without it
    /// PostgreSQL cases are skipped locally; under CI its absence is a failure, not a skip.
    public static var postgresAdminURL: String? { ProcessInfo.processInfo.environment["UNITY_TEST_POSTGRES_URL"] }

    public static var available: [TestDatabase] {
        postgresAdminURL != nil || ProcessInfo.processInfo.environment["CI"] != nil ? allCases : [.sqlite]
    }
}

/// A configured, migrated Unity application on a fresh database, shut down on every path.
/// `serving` does what `unity serve` does before listening: it creates the first admin (with
/// `TestClient.adminPassword`) and, when `UNITY_SCHEDULER` is on, installs the scheduler.
public func withUnityApp<T>(
    _ database: TestDatabase = .sqlite,
    settings: [String: String] = [:],
    serving: Bool = true,
    _ body: (Application) async throws -> T
) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unity-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var values: [String: String] = [
        "UNITY_DATA_DIR": folder,
        "UNITY_MASTER_KEY": MasterKey.generate().base64,
        "UNITY_SCHEDULER": "off",
        "UNITY_LOG_LEVEL": "warning",
        "UNITY_ADMIN_PASSWORD": TestClient.adminPassword,
    ]
    var scratchDatabase: String?
    switch database {
    case .sqlite:
        values["DATABASE_URL"] = "sqlite::memory:"
    case .postgres:
        let name = "unity_test_\(UUID().uuidString.prefix(8).lowercased())"
        values["DATABASE_URL"] = try TestPostgres.createDatabase(name)
        scratchDatabase = name
    }
    values.merge(settings) { $1 }
    let config = try AppConfig.parse(values)

    let app = try await Application.make(.testing)
    let result: T
    do {
        try await configure(app, config: config, serving: serving, bcryptCost: 4)
        result = try await body(app)
    } catch {
        try? await app.asyncShutdown()
        cleanUp(folder: folder, database: scratchDatabase)
        throw error
    }
    try await app.asyncShutdown()
    cleanUp(folder: folder, database: scratchDatabase)
    return result
}

/// Several Unity applications (replicas) sharing one fresh database: a SQLite file or a
/// PostgreSQL database. Each gets its own `UNITY_REPLICA_ID` (`replica-0`, `replica-1`, …).
public func withUnityReplicas<T>(
    _ count: Int,
    database: TestDatabase,
    settings: [String: String] = [:],
    _ body: ([Application]) async throws -> T
) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unity-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var scratchDatabase: String?
    let url: String
    switch database {
    case .sqlite:
        url = "sqlite://\(folder)/shared.sqlite"
    case .postgres:
        let name = "unity_test_\(UUID().uuidString.prefix(8).lowercased())"
        url = try TestPostgres.createDatabase(name)
        scratchDatabase = name
    }
    let masterKey = MasterKey.generate().base64
    var apps: [Application] = []
    do {
        for index in 0..<count {
            var values: [String: String] = [
                "UNITY_DATA_DIR": folder, "UNITY_MASTER_KEY": masterKey, "UNITY_SCHEDULER": "off",
                "UNITY_LOG_LEVEL": "warning", "DATABASE_URL": url, "UNITY_REPLICA_ID": "replica-\(index)",
                "UNITY_ADMIN_PASSWORD": TestClient.adminPassword,
            ]
            values.merge(settings) { $1 }
            let app = try await Application.make(.testing)
            apps.append(app)
            try await configure(app, config: try AppConfig.parse(values), serving: true, bcryptCost: 4)
        }
        let result = try await body(apps)
        for app in apps { try await app.asyncShutdown() }
        cleanUp(folder: folder, database: scratchDatabase)
        return result
    } catch {
        for app in apps { try? await app.asyncShutdown() }
        cleanUp(folder: folder, database: scratchDatabase)
        throw error
    }
}

private func cleanUp(folder: String, database: String?) {
    try? FileManager.default.removeItem(atPath: folder)
    if let database { try? TestPostgres.dropDatabase(database) }
}

/// Creates and drops scratch databases on the test PostgreSQL server with `psql`, so each test has
/// its own database and suites can run in parallel.
public enum TestPostgres {
    public static func createDatabase(_ name: String) throws -> String {
        guard let admin = TestDatabase.postgresAdminURL, var url = URLComponents(string: admin) else {
            throw TestSupportError("UNITY_TEST_POSTGRES_URL is not set; run scripts/test.sh, which starts PostgreSQL")
        }
        try psql(admin, "CREATE DATABASE \(name)")
        url.path = "/" + name
        return url.string ?? admin
    }

    public static func dropDatabase(_ name: String) throws {
        guard let admin = TestDatabase.postgresAdminURL else { return }
        try psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func psql(_ url: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSupportError("psql failed: \(sql)") }
    }
}

