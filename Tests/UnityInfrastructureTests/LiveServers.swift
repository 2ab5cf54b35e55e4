import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Throwaway PostgreSQL, MariaDB and Redis servers on 127.0.0.1, each in its own temp dir on a
/// free port, stopped by pid on every path (the `with…` helpers stop in `defer`). Recipes from
/// TESTBED.md sections 2–3.
enum LiveServers {
    /// A password with every character that could break naive quoting: quotes, $, backslash, space.
    static let password = #"pa'ss "w$HOME\ord x"#

    struct Server {
        var port: Int
        var pid: Int
        var directory: URL
    }

    static var postgresBin: String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let numbers: [Int] = versions.compactMap { Int($0) }
        guard let newest = numbers.max() else { return nil }
        let bin = "\(root)/\(newest)/bin"
        return FileManager.default.isExecutableFile(atPath: "\(bin)/initdb") ? bin : nil
    }

    static var postgresAvailable: Bool { postgresBin != nil && Shell.which("psql") != nil }
    static var mariadbAvailable: Bool {
        ["mariadbd", "mariadb-install-db", "mariadb-admin", "mysql"].allSatisfy { Shell.which($0) != nil }
    }
    static var redisAvailable: Bool { Shell.which("redis-server") != nil && Shell.which("redis-cli") != nil }

    /// Run when the binaries are here, and always under CI, where missing binaries must fail.
    static var runPostgres: Bool { postgresAvailable || Shell.isCI }
    static var runMariaDB: Bool { mariadbAvailable || Shell.isCI }
    static var runRedis: Bool { redisAvailable || Shell.isCI }

    static func requireBinaries(_ available: Bool, _ what: String) throws {
        guard available else {
            throw Shell.Failure(description: "\(what) binaries missing: scripts/test.sh must apt-get install them")
        }
    }

    static func tempDirectory(_ label: String, owner: String?) throws -> URL {
        let dir = URL(fileURLWithPath: "/tmp").appendingPathComponent("unity-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if let owner { _ = try Shell.run("/bin/chown", ["\(owner):\(owner)", dir.path]) }
        return dir
    }

    static func waitUntil(_ what: String, seconds: Double = 30, _ ready: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !ready() {
            guard Date() < deadline else { throw Shell.Failure(description: "\(what) did not become ready") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// SIGTERM, a grace period, then SIGKILL; waits for the pid to disappear.
    static func stop(pid: pid_t) {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        var status: Int32 = 0
        // waitpid reaps our own children (mariadbd, redis-server); kill(pid, 0) covers daemons
        // that belong to someone else (the postmaster is pg_ctl's).
        while waitpid(pid, &status, WNOHANG) == 0 || kill(pid, 0) == 0, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
    }

    static func pid(fromFile path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let first = text.split(whereSeparator: \.isNewline).first
        else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }
}
