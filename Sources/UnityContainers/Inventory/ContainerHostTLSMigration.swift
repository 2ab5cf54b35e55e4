import FluentKit

/// 033 – containers: TLS and plain-TCP hosts (endpoint, certificate references, the insecure opt-in).
public struct AddContainerHostTLS: AsyncMigration {
    public let name = "033-containers-host-tls"
    public init() {}

    static let columns: [(String, DatabaseSchema.DataType)] = [
        ("endpoint", .string), ("ca_certificate_id", .uuid), ("client_certificate_id", .uuid),
        ("server_certificate_id", .uuid), ("insecure_plain_tcp", .bool),
    ]

    public func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for (column, type) in Self.columns {
            try await database.schema(ContainerHostRecord.schema).field(.string(column), type).update()
        }
    }

    public func revert(on database: any Database) async throws {
        for (column, _) in Self.columns.reversed() {
            try await database.schema(ContainerHostRecord.schema).deleteField(.string(column)).update()
        }
    }
}
