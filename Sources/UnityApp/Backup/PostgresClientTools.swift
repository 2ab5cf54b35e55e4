import Foundation
import UnityCore

/// pg_dump, pg_restore and psql for a `DATABASE_URL`, with the password in a 0600 passfile that exists
/// only while the program runs: never in argv (the process list) or in the child's environment.
/// The programs are fixed names looked up on the children's fixed PATH; nothing here comes from input.
struct PostgresClientTools {
    struct Target {
        var host: String, port: Int, user: String, password: String?, database: String, sslMode: String?
    }

    let target: Target
    /// Where the passfile is made (the data folder's run directory: private to Unity's user).
    let scratchDirectory: String

    init(url: String, scratchDirectory: String) throws {
        guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else {
            throw CommandError("DATABASE_URL is not a usable PostgreSQL URL")
        }
        let database = String(parts.path.drop { $0 == "/" })
        let sslMode = parts.queryItems?.first { $0.name == "sslmode" || $0.name == "tlsmode" }?.value
        target = Target(host: host, port: parts.port ?? 5432, user: parts.user ?? "postgres", password: parts.password,
                        database: database.isEmpty ? (parts.user ?? "postgres") : database,
                        sslMode: sslMode.map { $0 == "disable" || $0 == "require" || $0 == "prefer" ? $0 : "require" })
        self.scratchDirectory = scratchDirectory
    }

    /// Runs `tool` with the connection in PG* variables; stderr becomes the error when it fails.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], maxOutput: Int = 64 << 20) async throws -> Data {
        guard let program = Self.locate(tool) else {
            throw CommandError("\(tool) is not installed (apt-get install postgresql-client); it must match the server's major version or be newer")
        }
        try FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let passfile = scratchDirectory + "/pgpass-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: passfile, contents: Data(passfileLine.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandError("cannot write a passfile in \(scratchDirectory)")
        }
        defer { try? FileManager.default.removeItem(atPath: passfile) }
        var environment = ["PGHOST": target.host, "PGPORT": "\(target.port)", "PGUSER": target.user,
                           "PGDATABASE": target.database, "PGPASSFILE": passfile, "PGCONNECT_TIMEOUT": "10"]
        if let sslMode = target.sslMode { environment["PGSSLMODE"] = sslMode }
        let output: ProcessRunner.Output
        do {
            output = try await ProcessRunner.run(program, arguments, environment: environment, timeout: .seconds(3600), maxOutput: maxOutput)
        } catch {
            throw CommandError("\(tool) could not run: \(error)")
        }
        guard output.status == 0 else {
            let message = String(decoding: output.stderr.prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw CommandError("\(tool) failed (exit \(output.status)): \(message)")
        }
        return output.stdout
    }

    /// `hostname:port:database:username:password`, with `:` and `\` escaped as libpq reads them.
    private var passfileLine: String {
        func escaped(_ value: String) -> String { value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:") }
        return "*:*:*:\(escaped(target.user)):\(escaped(target.password ?? ""))\n"
    }

    static func locate(_ tool: String) -> String? {
        ChildEnvironment.path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
