/// Database engines Unity can discover. MySQL and MariaDB are told apart by process name only
/// (`mariadbd` since MariaDB 10.5); a bare port 3306 is reported as `.mysql`.
public enum DatabaseEngine: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case postgresql, mysql, mariadb, mongodb, redis, minio

    public var defaultPort: Int {
        switch self {
        case .postgresql: 5432
        case .mysql, .mariadb: 3306
        case .mongodb: 27017
        case .redis: 6379
        case .minio: 9000
        }
    }

    /// The longest name `forProcess` knows: longer ones need no String built to be ruled out.
    static let longestProcessName = "valkey-server".utf8.count

    /// Engine of a process by its command name (`comm`, or the executable's base name).
    public static func forProcess(_ name: String) -> DatabaseEngine? {
        switch name {
        case "postgres", "postmaster": .postgresql
        case "mysqld": .mysql
        case "mariadbd": .mariadb
        case "mongod": .mongodb
        case "redis-server", "valkey-server": .redis
        case "minio": .minio
        default: nil
        }
    }

    /// Engine guessed from a well-known port, used only when the owning process is unknown.
    public static func forPort(_ port: Int) -> DatabaseEngine? {
        switch port {
        case 5432: .postgresql
        case 3306: .mysql
        case 27017: .mongodb
        case 6379: .redis
        case 9000: .minio
        default: nil
        }
    }
}

/// One listening TCP socket.
public struct ListenAddress: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// "127.0.0.1", "::1", "0.0.0.0", "::" or "*" (all addresses).
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A database server found on a host.
public struct DatabaseInstance: Sendable, Equatable, Codable {
    public var engine: DatabaseEngine
    /// `nil` when the listener was found by port only (no `ss -p` rights) and ps did not
    /// single out one process.
    public var pid: Int?
    public var processName: String?
    /// Full command line from ps, when known.
    public var commandLine: String?
    /// Empty for a server seen in ps whose sockets could not be listed.
    public var listenAddresses: [ListenAddress]

    public init(
        engine: DatabaseEngine, pid: Int? = nil, processName: String? = nil, commandLine: String? = nil,
        listenAddresses: [ListenAddress] = []
    ) {
        self.engine = engine
        self.pid = pid
        self.processName = processName
        self.commandLine = commandLine
        self.listenAddresses = listenAddresses
    }

    /// Distinct ports, in the order first seen.
    public var ports: [Int] {
        var seen: Set<Int> = []
        return listenAddresses.map(\.port).filter { seen.insert($0).inserted }
    }
}
