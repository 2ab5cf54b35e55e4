import Fluent
import SQLKit
import Vapor

/// Reads one page of a list straight into `Decodable` rows with SQLKit, total included. Rows spell
/// their column names in `CodingKeys`: SQLKit's snake-case key strategy re-cases every key of every
/// row and measured as a quarter of a list's CPU.
///
/// Fluent builds every model by reflection (`Mirror`), which measured as a third of the CPU of a
/// 50-row list; SQLKit's row decoder uses the synthesised `Decodable` conformance instead. The
/// total comes from `COUNT(*) OVER ()` in the same statement (SQLite ≥ 3.25 and PostgreSQL), so
/// a page is one query; only a page past the end needs a separate count.
struct PagedRows<Row: Decodable & Sendable> {
    struct Counted: Decodable {
        let row: Row
        let total: Int

        init(from decoder: any Decoder) throws {
            row = try Row(from: decoder)
            let container = try decoder.container(keyedBy: TotalKey.self)
            total = try container.decode(Int.self, forKey: .unityTotalCount)
        }

        enum TotalKey: String, CodingKey { case unityTotalCount = "unity_total_count" }
    }

    /// `filter` adds WHERE clauses to both the page and the fallback count.
    static func fetch(
        _ database: any Database, table: String, columns: [String], orderBy: [(String, SQLDirection)],
        paging: PageRequest, filter: (SQLPredicateGroupBuilder) -> SQLPredicateGroupBuilder = { $0 }
    ) async throws -> (rows: [Row], total: Int) {
        guard let sql = database as? any SQLDatabase else { throw APIError(status: .internalServerError, code: "internal_error", message: "internal error") }
        var select = sql.select()
            .columns(columns.map { SQLColumn($0) })
            .column(SQLAlias(SQLRaw("COUNT(*) OVER ()"), as: SQLIdentifier(Counted.TotalKey.unityTotalCount.rawValue)))
            .from(table)
            .where { filter($0) }
        for (column, direction) in orderBy { select = select.orderBy(column, direction) }
        let counted = try await select.limit(paging.perPage).offset(paging.offset).all()
            .map { try $0.decode(model: Counted.self) }
        if let first = counted.first { return (counted.map(\.row), first.total) }
        let total = try await sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from(table)
            .where { filter($0) }.first(decodingColumn: "n", as: Int.self) ?? 0
        return ([], total)
    }
}
