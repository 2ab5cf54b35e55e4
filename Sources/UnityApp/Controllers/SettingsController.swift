import Fluent
import UnityCore
import Vapor

/// Run-time settings an admin may change without a restart.
enum SettingsController {
    static let minPasswordLengthKey = "min_password_length"

    static func get(_ request: Request) async throws -> SettingsDTO {
        SettingsDTO(minPasswordLength: try await Passwords.policy(on: request.db).minimumLength,
                    certificateReloadCommands: try await ReloadCommands.allowed(on: request.db))
    }

    static func update(_ request: Request) async throws -> SettingsDTO {
        let body = try request.content.decode(UpdateSettingsBody.self)
        // Everything is validated before anything is saved, so a bad field changes nothing.
        if let length = body.minPasswordLength, !(8...PasswordPolicy.maximumLength).contains(length) {
            throw APIError.validation("min_password_length", "expected 8 to \(PasswordPolicy.maximumLength)")
        }
        let commands = try body.certificateReloadCommands.map { try ReloadCommands.validated($0, field: "certificate_reload_commands") }
        if let length = body.minPasswordLength {
            let setting = try await Setting.find(minPasswordLengthKey, on: request.db) ?? Setting(name: minPasswordLengthKey, value: "")
            setting.value = String(length)
            try await setting.save(on: request.db)
            request.audit.details[minPasswordLengthKey] = String(length)
        }
        if let commands {
            try await ReloadCommands.save(commands, on: request.db)
            request.audit.details[ReloadCommands.settingKey] = commands.joined(separator: " | ")
        }
        return try await get(request)
    }
}
