import Foundation

/// A request or response body type that can describe itself by example. The OpenAPI schema is
/// inferred from the example's real JSON encoding, so the documented shape is the shape the
/// server produces: field names, nesting, types and which fields decoding requires.
protocol APIExample: Codable, Sendable {
    /// Fill every optional field, so the schema shows it.
    static var example: Self { get }
    /// Closed sets of values for string fields, by JSON field name (`"role": ["viewer", …]`).
    static var allowedValues: [String: [String]] { get }
}

extension APIExample {
    static var allowedValues: [String: [String]] { [:] }
}

extension Array: APIExample where Element: APIExample {
    static var example: [Element] { [Element.example] }
}

/// Infers a JSON Schema from an example value.
enum SchemaInference {
    static func schema(for type: any APIExample.Type) -> JSONValue {
        func infer<T: APIExample>(_ type: T.Type) -> JSONValue {
            guard let data = try? JSONEncoder.unity.encode(T.example),
                  let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return ["type": "object"] }
            return schema(of: value, requiredIn: { object in required(T.self, object: object) }, allowed: T.allowedValues)
        }
        return infer(type)
    }

    /// The keys whose removal makes decoding fail are the ones the type requires.
    private static func required<T: Decodable>(_ type: T.Type, object: [String: JSONValue]) -> [String] {
        object.keys.sorted().filter { key in
            var reduced = object
            reduced.removeValue(forKey: key)
            guard let data = try? JSONEncoder().encode(JSONValue.object(reduced)) else { return false }
            return (try? JSONDecoder.unity.decode(T.self, from: data)) == nil
        }
    }

    private static func schema(of value: JSONValue, requiredIn: (([String: JSONValue]) -> [String])?, allowed: [String: [String]]) -> JSONValue {
        switch value {
        case .null: return ["type": "null"]
        case .bool: return ["type": "boolean"]
        case .int: return ["type": "integer"]
        case .double: return ["type": "number"]
        case .string(let text):
            if UUID(uuidString: text) != nil { return ["type": "string", "format": "uuid"] }
            if ISO8601DateFormatter().date(from: text) != nil { return ["type": "string", "format": "date-time"] }
            return ["type": "string"]
        case .array(let items):
            let itemSchema = items.first.map { schema(of: $0, requiredIn: nil, allowed: allowed) } ?? [:]
            return ["type": "array", "items": itemSchema]
        case .object(let object):
            var properties: [String: JSONValue] = [:]
            for (key, child) in object {
                var property = schema(of: child, requiredIn: nil, allowed: allowed)
                if let values = allowed[key], case .object(var fields) = property {
                    // For a list of closed values the enum belongs to the items, not the list.
                    if case .object(var items)? = fields["items"] {
                        items["enum"] = .array(values.map(JSONValue.string))
                        fields["items"] = .object(items)
                    } else {
                        fields["enum"] = .array(values.map(JSONValue.string))
                    }
                    property = .object(fields)
                }
                properties[key] = property
            }
            var result: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
            if let requiredIn {
                let names = requiredIn(object)
                if !names.isEmpty { result["required"] = .array(names.map(JSONValue.string)) }
            }
            return .object(result)
        }
    }
}
