import Foundation
import NIOCore
import UnityCore
import Vapor

/// `unity serve`: Vapor's own serve command (same flags, same shutdown), then the start-up banner
/// with the address the server actually bound: `--bind` and port 0 are only known once it listens.
struct UnityServeCommand: AsyncCommand {
    typealias Signature = ServeCommand.Signature

    var help: String { "Migrate, create the first admin if there is none, start the scheduler and serve the web UI and API." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let application = context.application
        try await application.servers.asyncCommand.run(using: context, signature: signature)
        let origin = StartupBanner.origin(of: application.http.server.shared.localAddress, fallback: application.unity.config)
        let banner = StartupBanner.text(origin: origin, firstAdmin: application.firstAdminPassword, config: application.unity.config)
        application.firstAdminPassword = nil
        // Written straight to the terminal (unbuffered), not logged: the one-time password must
        // reach the operator and never a log collector.
        FileHandle.standardOutput.write(Data(banner.utf8))
    }
}

/// What a person starting Unity reads: where to open it, how to sign in the first time, where
/// its data lives. Nothing else.
enum StartupBanner {
    /// A first admin created by this start: its password when Unity generated one.
    enum FirstAdmin: Sendable {
        case generated(password: String)
        case fromEnvironment
    }

    static func origin(of address: SocketAddress?, fallback config: AppConfig) -> String {
        let host = address?.ipAddress ?? config.bindHost
        let port = address?.port ?? config.bindPort
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    static func text(origin: String, firstAdmin: FirstAdmin?, config: AppConfig) -> String {
        let data: String = switch config.database {
        case .sqlite: URL(fileURLWithPath: config.dataDirectory).standardizedFileURL.path
        case .sqliteInMemory: "in memory (nothing is kept after this process)"
        case .postgres: "PostgreSQL (DATABASE_URL)"
        }
        switch firstAdmin {
        case .generated(let password):
            return """

            ────────────────────────────────────────────────────────────
             Unity is ready. It created the first user.
               URL:      \(origin)
               Username: admin
               Password: \(password)
               Data:     \(data)
             This password is shown only once. Change it after signing in.
            ────────────────────────────────────────────────────────────

            """
        case .fromEnvironment:
            return "Unity is ready at \(origin): sign in as 'admin' with the password from UNITY_ADMIN_PASSWORD. Data: \(data)\n"
        case nil:
            return "Unity is ready at \(origin). Data: \(data)\n"
        }
    }
}

extension Application {
    private struct FirstAdminPasswordKey: StorageKey {
        typealias Value = StartupBanner.FirstAdmin
    }

    /// Set by `FirstAdmin.ensure` when it created the first user, until the banner has shown it.
    var firstAdminPassword: StartupBanner.FirstAdmin? {
        get { storage[FirstAdminPasswordKey.self] }
        set { storage[FirstAdminPasswordKey.self] = newValue }
    }
}
