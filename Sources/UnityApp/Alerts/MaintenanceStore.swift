import Fluent
import Foundation
import UnityAlerts

/// Maintenance mode lives in the settings table, so every replica sees the same switch.
enum MaintenanceStore {
    static let key = "alerts.maintenance"

    static func load(on database: any Database) async throws -> Maintenance {
        guard let row = try await Setting.find(key, on: database) else { return .none }
        return (try? JSONDecoder().decode(Maintenance.self, from: Data(row.value.utf8))) ?? .none
    }

    static func save(_ maintenance: Maintenance, on database: any Database) async throws {
        let row = try await Setting.find(key, on: database) ?? Setting(name: key, value: "")
        row.value = String(decoding: try JSONEncoder().encode(maintenance), as: UTF8.self)
        try await row.save(on: database)
    }
}
