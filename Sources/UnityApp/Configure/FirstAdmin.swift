import Fluent
import UnityCore
import Vapor

/// Creates the first admin when the database has no user at all, so a fresh install is usable
/// without a setup wizard and without any default password.
enum FirstAdmin {
    static func ensure(application: Application, config: AppConfig) async throws {
        guard try await User.query(on: application.db).count() == 0 else { return }
        let generated = config.adminPassword == nil
        let password = config.adminPassword ?? SecureToken.generatePassword()
        let hash = try await application.password.async.hash(password)
        try await User(username: "admin", passwordHash: hash, role: .admin).create(on: application.db)
        try await AuditLog.record(.init(actorType: "system", action: "users.create_first_admin", targetType: "user",
                                        targetID: "admin", outcome: "success"), on: application.db)
        let origin = "http://\(config.bindHost.contains(":") ? "[\(config.bindHost)]" : config.bindHost):\(config.bindPort)"
        let message: String
        if generated {
            message = """

            ────────────────────────────────────────────────────────────
             Unity created the first user.
               URL:      \(origin)
               Username: admin
               Password: \(password)
             This password is shown only once. Change it after signing in.
            ────────────────────────────────────────────────────────────

            """
        } else {
            message = "Unity created the first user 'admin' with the password from UNITY_ADMIN_PASSWORD. Open \(origin)\n"
        }
        // Written straight to the terminal (unbuffered), not logged: the one-time password must
        // reach the operator and never a log collector.
        FileHandle.standardOutput.write(Data(message.utf8))
    }
}
