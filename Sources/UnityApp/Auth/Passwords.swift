import Fluent
import UnityCore
import Vapor

/// Password hashing (bcrypt, on `PasswordHashing`'s own threads) and the run-time password policy.
enum Passwords {
    /// A real hash of a random password: unknown usernames are checked against it so that a login
    /// for a missing user takes as long as one for an existing user.
    static let dummyHash = (try? Bcrypt.hash(SecureToken.generate(), cost: 12)) ?? ""

    static func hash(_ password: String, on request: Request) async throws -> String {
        try await request.unity.passwords.hash(password)
    }

    static func verify(_ password: String, hash: String, on request: Request) async throws -> Bool {
        try await request.unity.passwords.verify(password, hash: hash)
    }

    static func policy(on database: any Database) async throws -> PasswordPolicy {
        let stored = try await Setting.find(SettingsController.minPasswordLengthKey, on: database)
        return PasswordPolicy(minimumLength: stored.flatMap { Int($0.value) } ?? PasswordPolicy.defaultMinimumLength)
    }

    /// 422 naming `field` when the password breaks the policy.
    static func validate(_ password: String, field: String, on database: any Database) async throws {
        if let problem = try await policy(on: database).problem(with: password) {
            throw APIError.validation(field, problem)
        }
    }
}
