import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LiveServers {
    /// PostgreSQL with scram-sha-256 auth; user `unity` (password `password`) owns database `unity`.
    static func withPostgres<T>(_ body: (Server) throws -> T) throws -> T {
        try requireBinaries(postgresAvailable, "PostgreSQL (initdb, pg_ctl, psql)")
        let bin = postgresBin ?? ""
        let dir = try tempDirectory("pg", owner: "postgres")
        let data = dir.appendingPathComponent("data").path
        var pid: Int32 = 0
        defer {
            _ = try? Shell.run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
            stop(pid: pid)
            try? FileManager.default.removeItem(at: dir)
        }
        let port = try Shell.freePort()
        try Data("unitysuper\n".utf8).write(to: dir.appendingPathComponent("pw"))
        _ = try Shell.run("/bin/chown", ["postgres:postgres", dir.appendingPathComponent("pw").path])
        let initdb = try Shell.run("/usr/sbin/runuser", [
            "-u", "postgres", "--", "\(bin)/initdb", "-D", data, "-U", "postgres", "-A", "scram-sha-256",
            "--pwfile=\(dir.path)/pw", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        ])
        guard initdb.status == 0 else { throw Shell.Failure(description: "initdb: \(initdb.stderr)") }
        let start = try Shell.run("/usr/sbin/runuser", [
            "-u", "postgres", "--", "\(bin)/pg_ctl", "-D", data, "-l", "\(dir.path)/pg.log", "-w",
            "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(dir.path) -c fsync=off", "start",
        ])
        pid = self.pid(fromFile: "\(data)/postmaster.pid") ?? 0
        guard start.status == 0, pid > 0 else { throw Shell.Failure(description: "pg_ctl start: \(start.stderr)") }
        let sqlPassword = password.replacingOccurrences(of: "'", with: "''")
        for sql in ["CREATE USER unity PASSWORD '\(sqlPassword)'", "CREATE DATABASE unity OWNER unity"] {
            let result = try Shell.run("/usr/bin/psql", ["-X", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-c", sql],
                                       environment: ["PGPASSWORD": "unitysuper"])
            guard result.status == 0 else { throw Shell.Failure(description: "psql: \(result.stderr)") }
        }
        return try body(Server(port: port, pid: Int(pid), directory: dir))
    }

    /// MariaDB in the foreground (our child); user 'unity'@'127.0.0.1' with `password`, database `unity`
    /// holding one table so the size is non-zero.
    static func withMariaDB<T>(_ body: (Server) throws -> T) throws -> T {
        try requireBinaries(mariadbAvailable, "MariaDB (mariadbd, mariadb-install-db, mariadb-admin, mysql)")
        let dir = try tempDirectory("maria", owner: "mysql")
        var child: pid_t = 0
        defer {
            stop(pid: child)
            try? FileManager.default.removeItem(at: dir)
        }
        let port = try Shell.freePort()
        let install = try Shell.run(try path("mariadb-install-db"), [
            "--no-defaults", "--user=mysql", "--datadir=\(dir.path)/data", "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ])
        guard install.status == 0 else { throw Shell.Failure(description: "mariadb-install-db: \(install.stderr)") }
        let socket = "\(dir.path)/mysqld.sock"
        child = try Shell.spawn(try path("mariadbd"), [
            "--no-defaults", "--user=mysql", "--datadir=\(dir.path)/data", "--socket=\(socket)",
            "--pid-file=\(dir.path)/mysqld.pid", "--port=\(port)", "--bind-address=127.0.0.1", "--skip-name-resolve",
            "--log-error=\(dir.path)/err.log",
        ])
        let admin = try path("mariadb-admin")
        try waitUntil("mariadbd") {
            (try? Shell.run(admin, ["--no-defaults", "--socket=\(socket)", "-uroot", "ping"]))?.status == 0
        }
        let sqlPassword = password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        let setup = """
            CREATE DATABASE unity; CREATE USER 'unity'@'127.0.0.1' IDENTIFIED BY '\(sqlPassword)';
            GRANT ALL ON unity.* TO 'unity'@'127.0.0.1'; GRANT PROCESS ON *.* TO 'unity'@'127.0.0.1';
            CREATE TABLE unity.t (id INT PRIMARY KEY, v TEXT) ENGINE=InnoDB; INSERT INTO unity.t VALUES (1, 'x');
            """
        let result = try Shell.run(try path("mysql"), ["--no-defaults", "--socket=\(socket)", "-uroot", "-e", setup])
        guard result.status == 0 else { throw Shell.Failure(description: "mysql setup: \(result.stderr)") }
        return try body(Server(port: port, pid: Int(child), directory: dir))
    }

    /// Redis in the foreground (our child) with `requirepass password`.
    static func withRedis<T>(_ body: (Server) throws -> T) throws -> T {
        try requireBinaries(redisAvailable, "Redis (redis-server, redis-cli)")
        let dir = try tempDirectory("redis", owner: nil)
        var child: pid_t = 0
        defer {
            stop(pid: child)
            try? FileManager.default.removeItem(at: dir)
        }
        let port = try Shell.freePort()
        child = try Shell.spawn(try path("redis-server"), [
            "--bind", "127.0.0.1", "--port", "\(port)", "--dir", dir.path, "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--logfile", "\(dir.path)/redis.log", "--requirepass", password,
        ])
        let cli = try path("redis-cli")
        try waitUntil("redis-server") {
            let ping = try? Shell.run(cli, ["-h", "127.0.0.1", "-p", "\(port)", "ping"], environment: ["REDISCLI_AUTH": password])
            return ping?.stdout.contains("PONG") == true
        }
        return try body(Server(port: port, pid: Int(child), directory: dir))
    }

    static func path(_ tool: String) throws -> String {
        guard let path = Shell.which(tool) else { throw Shell.Failure(description: "\(tool) not found") }
        return path
    }
}
