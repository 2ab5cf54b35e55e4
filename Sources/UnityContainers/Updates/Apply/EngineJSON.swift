import Foundation

/// A JSON document from the engine kept whole, so that a recreate sends back every field of the old
/// container's inspect, including ones this Unity version does not know (a typed model would drop them).
public indirect enum EngineJSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([EngineJSON])
    case object([String: EngineJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([EngineJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: EngineJSON].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public static func parse(_ data: Data) throws -> EngineJSON { try JSONDecoder().decode(EngineJSON.self, from: data) }

    public func serialized() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(self)) ?? Data("null".utf8))
    }

    public subscript(key: String) -> EngineJSON? {
        get { if case .object(let members) = self { return members[key] }; return nil }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }

    public var string: String? { if case .string(let value) = self { return value }; return nil }
    public var bool: Bool? { if case .bool(let value) = self { return value }; return nil }
    public var int: Int64? {
        switch self {
        case .int(let value): value
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }
    public var array: [EngineJSON]? { if case .array(let value) = self { return value }; return nil }
    public var object: [String: EngineJSON]? { if case .object(let value) = self { return value }; return nil }
    public var stringArray: [String]? { array?.compactMap(\.string) }
    /// null, "", [], {} — what the engine sends for "not set".
    public var isEmptyValue: Bool {
        switch self {
        case .null: true
        case .string(let value): value.isEmpty
        case .array(let value): value.isEmpty
        case .object(let value): value.isEmpty
        default: false
        }
    }

    /// Follows a path of object keys: `json.at("HostConfig", "Binds")`.
    public func at(_ path: String...) -> EngineJSON? {
        var current: EngineJSON? = self
        for key in path { current = current?[key] }
        return current
    }
}
