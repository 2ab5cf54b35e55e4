import Fluent
import Vapor

/// Settings an admin changes at run time (as opposed to start-up configuration).
final class Setting: Model, @unchecked Sendable {
    static let schema = "settings"

    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(name: String, value: String) {
        self.id = name
        self.value = value
    }
}
