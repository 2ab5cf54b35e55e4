import Vapor

/// One page of a list. Every list endpoint is paged so that a large table never becomes one
/// unbounded response.
struct Page<Item: Content>: Content {
    var items: [Item]
    var page: Int
    var perPage: Int
    var total: Int
}

struct PageRequest: Sendable {
    var page: Int
    var perPage: Int

    var offset: Int { (page - 1) * perPage }

    static let maxPerPage = 200

    /// Reads `page` and `per_page` from the query; bad values are a 422 naming the parameter.
    init(_ request: Request, defaultPerPage: Int = 50) throws {
        page = try Self.integer(request, "page", default: 1, range: 1...1_000_000)
        perPage = try Self.integer(request, "per_page", default: defaultPerPage, range: 1...Self.maxPerPage)
    }

    private static func integer(_ request: Request, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = request.query[String.self, at: name] else { return fallback }
        guard let value = Int(raw), range.contains(value) else {
            throw APIError.validation(name, "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

extension Request {
    /// A UUID path parameter; anything that is not a UUID cannot name an existing row: 404.
    func uuidParameter(_ name: String = "id", what: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw APIError.notFound(what) }
        return id
    }

    /// Decodes a JSON body with the API's conventions.
    func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        try content.decode(T.self, using: JSONDecoder.unity)
    }

    /// An optional ISO-8601 timestamp from the query string.
    func dateQuery(_ name: String) throws -> Date? {
        guard let raw = query[String.self, at: name] else { return nil }
        guard let date = ISO8601DateFormatter().date(from: raw) else {
            throw APIError.validation(name, "expected an ISO-8601 timestamp such as 2026-01-31T12:00:00Z")
        }
        return date
    }
}
