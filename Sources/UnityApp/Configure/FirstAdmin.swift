import Fluent
import UnityCore
import Vapor

/// Creates the first admin when the database has no user at all, so a fresh install is usable
/// without a setup wizard and without any default password. `StartupBanner` shows the password.
enum FirstAdmin {
    static func ensure(application: Application, config: AppConfig) async throws {
        guard try await User.query(on: application.db).count() == 0 else { return }
        let generated = config.adminPassword == nil
        let password = config.adminPassword ?? SecureToken.generatePassword()
        let hash = try await application.password.async.hash(password)
        try await User(username: "admin", passwordHash: hash, role: .admin).create(on: application.db)
        try await AuditLog.record(.init(actorType: "system", action: "users.create_first_admin", targetType: "user",
                                        targetID: "admin", outcome: "success"), on: application.db)
        // Shown by the serve command once the server listens, with the address it really bound.
        application.firstAdminPassword = generated ? .generated(password: password) : .fromEnvironment
    }
}
