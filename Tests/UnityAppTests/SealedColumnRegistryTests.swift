import Foundation
import SQLKit
import Testing
import UnityTestSupport
@testable import UnityApp

/// Every `sealed_*` column the migrations create is declared by a model (`HasSealedColumns`) and so
/// rotated by `unity rotate-master-key`. The schema is read from the database catalogue (SQLite's
/// `pragma_table_info`, PostgreSQL's `information_schema.columns`), not from Unity's own list, so a
/// migration that adds a sealed column without declaring it fails here.
@Suite struct SealedColumnRegistryTests {
    @Test(arguments: TestDatabase.available)
    func everySealedColumnOfTheSchemaIsRegistered(_ database: TestDatabase) async throws {
        try await withUnityApp(database, serving: false) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let schema = try await SchemaCatalogue.sealedColumns(sql)
            #expect(schema.count >= 12, "the catalogue query found \(schema.count) sealed columns")
            let registry = SealedColumnRegistry.standard
            for (table, column) in schema {
                #expect(registry.contains(table: table, column: column),
                        "\(table).\(column) is sealed but no model declares it in HasSealedColumns: rotation would leave it under the old key")
            }
            // And nothing registered is missing from the schema (a typo would skip a real column).
            for declared in registry.columns {
                #expect(schema.contains { $0.table == declared.table && $0.column == declared.column }, "\(declared) is declared but not in the schema")
            }
        }
    }
}
