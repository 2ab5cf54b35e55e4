import Fluent
import Vapor

/// Unity's own secrets (the JWT signing key, the master-key check value), sealed by the SecretBox.
final class SystemSecret: Model, @unchecked Sendable {
    static let schema = "system_secrets"

    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "sealed_value") var sealedValue: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(name: String, sealedValue: String) {
        self.id = name
        self.sealedValue = sealedValue
    }
}

extension SystemSecret: HasSealedColumns {
    /// Each system secret's purpose names the secret (`system_secrets.jwt_signing_key`).
    static let valueColumn = SealedColumn(table: schema, column: "sealed_value", keyColumn: "name") { "system_secrets.\($0)" }
    static let sealedColumns = [valueColumn]
}
