/// Where and as whom to probe one database instance. `host == nil` means the client's default
/// local connection (Unix socket for psql and mysql, 127.0.0.1 for redis-cli).
public struct DatabaseProbeTarget: Sendable, Equatable, Codable {
    public var engine: DatabaseEngine
    public var host: String?
    public var port: Int?
    public var user: String?
    public var database: String?

    public init(engine: DatabaseEngine, host: String? = nil, port: Int? = nil, user: String? = nil, database: String? = nil) {
        self.engine = engine
        self.host = host
        self.port = port
        self.user = user
        self.database = database
    }
}

/// A command to run on the database's host through its SSH connection, with what to write to
/// its standard input.
///
/// Secret handling: the password never appears in the command text (and so never in argv,
/// the remote process list or shell history). The caller writes `stdin` — the password and one
/// newline, or just a newline when there is none — to the exec channel and then closes it.
/// The command's first step, `IFS= read -r u_pw`, reads exactly that line into a shell
/// variable, exports it only into the client's environment under the variable the client
/// documents (PGPASSWORD, MYSQL_PWD, REDISCLI_AUTH), and the client then runs with stdin from
/// /dev/null. Environment variables are readable only by the same user and root
/// (/proc/PID/environ). `stdin` must not be logged.
public struct ProbeCommand: Sendable, Equatable {
    public var command: String
    public var stdin: String

    public init(command: String, stdin: String) {
        self.command = command
        self.stdin = stdin
    }
}

public enum DatabaseProbeError: Error, Equatable, Sendable {
    /// MongoDB and MinIO are discovered but not probed.
    case unsupportedEngine(DatabaseEngine)
    /// A newline or NUL cannot travel through the one-line stdin protocol (or argv).
    case invalidValue(field: String)
}

/// Builds the probe commands. Every user-supplied value is single-quoted for POSIX sh.
public enum DatabaseProbe {
    /// One row: server version | uptime seconds | connections | total size bytes | cache hit ratio.
    static let postgresQuery = """
        SELECT current_setting('server_version'), \
        floor(extract(epoch FROM now() - pg_postmaster_start_time()))::bigint, \
        (SELECT sum(numbackends) FROM pg_stat_database), \
        (SELECT sum(pg_database_size(datname)) FROM pg_database WHERE datallowconn), \
        (SELECT sum(blks_hit)::float8 / nullif(sum(blks_hit) + sum(blks_read), 0) FROM pg_stat_database)
        """

    /// Every row labelled `name<TAB>value`, so the parser never depends on row order.
    static let mysqlQuery = """
        SELECT 'version', VERSION(); \
        SHOW GLOBAL STATUS WHERE Variable_name IN \
        ('Uptime', 'Threads_connected', 'Innodb_buffer_pool_read_requests', 'Innodb_buffer_pool_reads'); \
        SELECT 'size_bytes', COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables
        """

    public static func command(
        for target: DatabaseProbeTarget, password: String?, timeoutSeconds: Int = 15
    ) throws(DatabaseProbeError) -> ProbeCommand {
        let secret = password ?? ""
        if secret.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) {
            throw .invalidValue(field: "password")
        }
        for (field, value) in [("host", target.host), ("user", target.user), ("database", target.database)] {
            if let value, value.contains(where: { $0 == "\n" || $0 == "\0" }) { throw .invalidValue(field: field) }
        }
        let q = ShellQuote.quote
        var arguments: [String]
        let variable: String
        switch target.engine {
        case .postgresql:
            variable = "PGPASSWORD"
            arguments = ["psql", "-X", "-A", "-t", "-F", q("|")]
            arguments += option("-h", target.host) + option("-p", target.port.map(String.init))
            arguments += option("-U", target.user) + option("-d", target.database)
            arguments += ["-c", q(postgresQuery)]
        case .mysql, .mariadb:
            variable = "MYSQL_PWD"
            arguments = ["mysql", "--batch", "--skip-column-names", "--connect-timeout=10"]
            arguments += option("-h", target.host) + option("-P", target.port.map(String.init))
            arguments += option("-u", target.user) + option("-D", target.database)
            arguments += ["-e", q(mysqlQuery)]
        case .redis:
            variable = "REDISCLI_AUTH"
            arguments = ["redis-cli"] + option("-h", target.host) + option("-p", target.port.map(String.init))
            arguments += option("--user", target.user) + ["INFO"]
        case .mongodb, .minio:
            throw .unsupportedEngine(target.engine)
        }
        let t = max(1, timeoutSeconds)
        let command = [
            #"IFS= read -r u_pw || :"#,
            #"if [ -n "$u_pw" ]; then \#(variable)=$u_pw; export \#(variable); fi"#,
            "unset u_pw",
            "PGCONNECT_TIMEOUT=10; export PGCONNECT_TIMEOUT",
            "LC_ALL=C; export LC_ALL",
            "if timeout -k 1 5 true >/dev/null 2>&1; then set -- timeout -k 5 \(t); else set --; fi",
            #"exec "$@" \#(arguments.joined(separator: " ")) </dev/null"#,
        ].joined(separator: "; ")
        return ProbeCommand(command: command, stdin: secret + "\n")
    }

    private static func option(_ flag: String, _ value: String?) -> [String] {
        guard let value else { return [] }
        return [flag, ShellQuote.quote(value)]
    }
}
