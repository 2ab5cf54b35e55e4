import Fluent
import Foundation
import UnityACME
import UnitySSH

/// HTTP-01 through a web server Unity does not run: the token file is written under the webroot
/// of a monitored server over SSH (sudo if the server uses it) and removed afterwards.
enum ACMEWebroot {
    static func validate(_ body: ACMEWebrootBody, on db: any Database) async throws {
        guard let server = body.serverId, try await MonitoredServer.find(server, on: db) != nil else {
            throw APIError.validation("webroot.server_id", "an existing server")
        }
        let path = body.path ?? ""
        guard path.hasPrefix("/"), !path.contains("\n"), !path.contains(".."), path.count <= 500 else {
            throw APIError.validation("webroot.path", "an absolute directory, e.g. /var/www/html")
        }
    }

    static func solver(for order: ACMEOrderRecord, services: UnityServices, db: any Database) async throws -> WebrootHTTP01Solver? {
        guard let serverID = order.webrootServerID, let webroot = order.webrootPath else { return nil }
        guard let server = try await MonitoredServer.find(serverID, on: db) else {
            throw APIError.validation("webroot.server_id", "the webroot's server no longer exists")
        }
        let target = try await ServerTargets.target(for: server, database: db, secrets: services.secrets)
        let ssh = services.ssh, sudo = server.useSudo
        return WebrootHTTP01Solver(webroot: webroot, write: { path, contents in
            // Path and contents are arguments, never part of the script. The key authorization is
            // public anyway; it is not sent on stdin, where sudo's password may precede it.
            let command = RemoteCommand(argv: ["sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && printf %s \"$2\" > \"$1\" && chmod 0644 \"$1\"",
                                               "sh", path, contents], privileged: sudo)
            let result = try await ssh.run(command, on: target, timeout: .seconds(30), maxOutput: 64 << 10)
            guard result.exitStatus == 0 else {
                throw ACMEError.malformedResponse("cannot write \(path) on \(server.name): \(result.stderrText.prefix(300))")
            }
        }, remove: { path in
            _ = try await ssh.run(RemoteCommand(argv: ["rm", "-f", path], privileged: sudo), on: target, timeout: .seconds(30), maxOutput: 64 << 10)
        })
    }
}
