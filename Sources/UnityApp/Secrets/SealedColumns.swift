import Fluent
import Foundation
import UnityCore

/// One database column that holds SecretBox-sealed values, as its model declares it.
struct SealedColumn: Sendable, CustomStringConvertible {
    let table: String
    let column: String
    /// The column that identifies a row (`id`, or `name` for system secrets).
    let keyColumn: String
    /// The SecretBox purpose of a row's value, from the row's key.
    let purpose: @Sendable (String) -> String

    init(table: String, column: String, keyColumn: String = "id", purpose: String) {
        self.init(table: table, column: column, keyColumn: keyColumn) { _ in purpose }
    }

    init(table: String, column: String, keyColumn: String, purposeOfRow: @escaping @Sendable (String) -> String) {
        self.table = table
        self.column = column
        self.keyColumn = keyColumn
        self.purpose = purposeOfRow
    }

    var description: String { "\(table).\(column)" }
}

/// A model with sealed columns declares them next to its fields, so the model that adds a secret
/// is the one place that says it must be rotated.
protocol HasSealedColumns {
    static var sealedColumns: [SealedColumn] { get }
}

/// Every sealed column of the database, built from the models' declarations. `unity
/// rotate-master-key` re-encrypts exactly these; `SealedColumnRegistryTests` fails when the
/// migrated schema (SQLite or PostgreSQL) has a `sealed_*` column that no model declares.
///
/// A new module adds its model types to `models` (or passes them to `init(models:)` for its own
/// tests); nothing else needs to know about its secrets.
struct SealedColumnRegistry: Sendable {
    static let models: [any HasSealedColumns.Type] = [
        SystemSecret.self, SSHKeyRecord.self, ServerCredential.self, NotificationChannelRecord.self,
        CertificateRecord.self, CertificateAuthorityRecord.self, ACMEAccountRecord.self, ACMEOrderRecord.self,
        StepCAAuthorityRecord.self, RegistryCredentialRecord.self,
    ]

    static let standard = SealedColumnRegistry(models: models)

    let columns: [SealedColumn]

    init(models: [any HasSealedColumns.Type]) {
        columns = models.flatMap { $0.sealedColumns }
    }

    func contains(table: String, column: String) -> Bool {
        columns.contains { $0.table == table && $0.column == column }
    }
}

/// Sealing and opening a value of this column in one row (SecretBox `v2`): the table, column and row
/// id are associated data, so a value copied into another row or column does not open. Values sealed
/// before row binding (`v1`) still open; rotation re-seals them bound to their row.
extension SealedColumn {
    func row(_ key: String) -> SealedRow { SealedRow(table: table, column: column, id: key) }

    func seal(_ plaintext: String, row key: String, in box: SecretBox) throws -> String {
        try box.seal(plaintext, purpose: purpose(key), row: row(key))
    }

    func open(_ sealed: String, row key: String, in box: SecretBox) throws -> String {
        try box.openString(sealed, purpose: purpose(key), row: row(key))
    }

    func seal(_ plaintext: String, id: UUID, in box: SecretBox) throws -> String { try seal(plaintext, row: id.uuidString, in: box) }

    func open(_ sealed: String, id: UUID, in box: SecretBox) throws -> String { try open(sealed, row: id.uuidString, in: box) }
}

/// A model whose sealed values are bound to its UUID id.
protocol RowSealed: Model where IDValue == UUID {}

extension RowSealed {
    /// The id this row's secrets are bound to, assigned before the first insert so a new row can seal.
    func sealingID() -> UUID {
        if let id { return id }
        let id = UUID()
        self.id = id
        return id
    }
}
