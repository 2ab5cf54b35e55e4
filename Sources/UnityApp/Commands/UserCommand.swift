import Fluent
import UnityCore
import Vapor

/// `unity user create|reset-password|list`: administration from the machine Unity runs on, which
/// is also the way back in when every admin password is lost.
struct UserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create, reset-password or list")
        var action: String
        @Option(name: "username", short: "u", help: "the user to create or reset")
        var username: String?
        @Option(name: "role", short: "r", help: "viewer, operator or admin (create; default viewer)")
        var role: String?
        @Flag(name: "password-stdin", help: "read the password from standard input instead of generating one")
        var passwordFromStdin: Bool
    }

    var help: String { "Create users, reset passwords, list users" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        switch signature.action {
        case "list":
            for user in try await User.query(on: app.db).sort(\.$username).all() {
                context.console.print("\(user.username)\t\(user.role)\(user.disabled ? "\tdisabled" : "")")
            }
        case "create", "reset-password":
            guard let raw = signature.username else { throw CommandError("--username is required") }
            let username = try UsersController.validUsername(raw)
            let password = try readPassword(signature.passwordFromStdin)
            if let problem = try await Passwords.policy(on: app.db).problem(with: password) {
                throw CommandError("password \(problem)")
            }
            let hash = try await app.password.async.hash(password)
            let existing = try await User.query(on: app.db).filter(\.$username == username).first()
            if signature.action == "create" {
                guard existing == nil else { throw CommandError("user \(username) already exists") }
                guard let role = Role(rawValue: signature.role ?? "viewer") else { throw CommandError("--role must be viewer, operator or admin") }
                try await User(username: username, passwordHash: hash, role: role).create(on: app.db)
            } else {
                guard let user = existing else { throw CommandError("no user named \(username)") }
                user.passwordHash = hash
                user.disabled = false
                try await AuthController.revokeAll(user: user, on: app.db)
            }
            try await AuditLog.record(.init(actorType: "system", actorName: "cli", action: "cli.user.\(signature.action)",
                                            targetType: "user", targetID: username, outcome: "success"), on: app.db)
            if !signature.passwordFromStdin { context.console.print("Password for \(username): \(password)") }
            context.console.print("Done: \(signature.action) \(username)")
        default:
            throw CommandError("unknown action \(signature.action); use create, reset-password or list")
        }
    }

    private func readPassword(_ fromStdin: Bool) throws -> String {
        guard fromStdin else { return SecureToken.generatePassword() }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CommandError("no password on standard input") }
        return line
    }
}

struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
