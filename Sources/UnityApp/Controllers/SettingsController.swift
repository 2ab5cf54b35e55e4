import Fluent
import UnityCore
import Vapor

/// Run-time settings an admin may change without a restart.
enum SettingsController {
    static let minPasswordLengthKey = "min_password_length"

    static func get(_ request: Request) async throws -> SettingsDTO {
        SettingsDTO(minPasswordLength: try await Passwords.policy(on: request.db).minimumLength)
    }

    static func update(_ request: Request) async throws -> SettingsDTO {
        let body = try request.content.decode(UpdateSettingsBody.self)
        if let length = body.minPasswordLength {
            guard (8...PasswordPolicy.maximumLength).contains(length) else {
                throw APIError.validation("min_password_length", "expected 8 to \(PasswordPolicy.maximumLength)")
            }
            let setting = try await Setting.find(minPasswordLengthKey, on: request.db) ?? Setting(name: minPasswordLengthKey, value: "")
            setting.value = String(length)
            try await setting.save(on: request.db)
            request.audit.details[minPasswordLengthKey] = String(length)
        }
        return try await get(request)
    }
}
