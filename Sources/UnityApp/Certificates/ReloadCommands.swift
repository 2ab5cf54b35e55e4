import Fluent
import Foundation
import UnityCore
import Vapor

/// `GET /api/v1/certificates/reload-commands`.
struct ReloadCommandsDTO: Content, APIExample {
    var commands: [String]
    static var example: ReloadCommandsDTO { .init(commands: ReloadCommands.defaults) }
}

/// The reload commands operators may choose when they deploy a certificate. A reload command runs
/// as a shell command on the managed server, so an operator who could type any command would be
/// root there by another name; admins decide the list (and may use any command themselves), and
/// operators pick from it.
enum ReloadCommands {
    static let settingKey = "certificate_reload_commands"
    static let maximumCount = 50
    static let maximumLength = 500

    /// Used until an admin saves a list: the reloads of the TLS servers homelabs run most.
    static let defaults = [
        "systemctl reload nginx", "systemctl reload apache2", "systemctl reload haproxy",
        "systemctl reload caddy", "systemctl restart traefik", "systemctl reload postfix",
        "systemctl reload dovecot", "true",
    ]

    static func allowed(on db: any Database) async throws -> [String] {
        guard let stored = try await Setting.find(settingKey, on: db) else { return defaults }
        return decode(stored.value) ?? defaults
    }

    static func save(_ commands: [String], on db: any Database) async throws {
        let setting = try await Setting.find(settingKey, on: db) ?? Setting(name: settingKey, value: "")
        setting.value = String(decoding: try JSONEncoder().encode(commands), as: UTF8.self)
        try await setting.save(on: db)
    }

    /// Cleans an admin's list: trimmed, no empty or duplicate entries, one line each.
    static func validated(_ commands: [String], field: String) throws -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for raw in commands {
            let command = raw.trimmingCharacters(in: .whitespaces)
            guard !command.isEmpty else { continue }
            guard command.count <= maximumLength else {
                throw APIError.validation(field, "each command must be at most \(maximumLength) characters")
            }
            guard !command.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw APIError.validation(field, "each command must be one line without control characters")
            }
            if seen.insert(command).inserted { result.append(command) }
        }
        guard result.count <= maximumCount else { throw APIError.validation(field, "at most \(maximumCount) commands") }
        return result
    }

    /// Refuses a command the caller may not run: admins may use any; everyone else one of the list.
    static func authorize(_ command: String, role: Role, on db: any Database) async throws {
        guard role < .admin else { return }
        let allowed = try await allowed(on: db)
        guard allowed.contains(command) else {
            throw APIError.validation("reload_command", "choose one of the reload commands an admin allowed under Settings: "
                                      + allowed.joined(separator: ", "))
        }
    }

    private static func decode(_ value: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(value.utf8))
    }
}
