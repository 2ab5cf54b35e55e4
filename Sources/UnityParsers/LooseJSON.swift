import Foundation

/// Loosely-typed JSON, for tools whose JSON changed shape between versions (lsblk prints the
/// same column as a string, a number or a boolean depending on util-linux release).
enum LooseJSON: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    /// Integers are kept exact: byte sizes above 2^53 would lose precision as Double.
    case integer(UInt64)
    case string(String)
    case array([LooseJSON])
    case object([String: LooseJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Most lsblk values are null or strings, so those are tried first: every failed attempt
        // costs a thrown error. Bool before the numbers so `true` never reads as 1.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode([String: LooseJSON].self) {
            self = .object(value)
        } else {
            self = .array(try container.decode([LooseJSON].self))
        }
    }

    static func decode(_ text: String, source: String) throws(ParseError) -> LooseJSON {
        do {
            return try JSONDecoder().decode(LooseJSON.self, from: Data(text.utf8))
        } catch {
            throw ParseError(source: source, reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
    }

    subscript(key: String) -> LooseJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Strings as-is; numbers as text (lsblk prints some ids as numbers in one release and
    /// strings in another). Empty strings read as nil because lsblk prints "" for "unknown".
    var text: String? {
        switch self {
        case .string(let value): return value.isEmpty ? nil : value
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    /// true/false, "1"/"0", "true"/"false", 1/0: every spelling lsblk has used.
    var flag: Bool? {
        switch self {
        case .bool(let value): return value
        case .integer(let value): return value == 0 ? false : value == 1 ? true : nil
        case .string(let value):
            switch value {
            case "1", "true": return true
            case "0", "false": return false
            default: return nil
            }
        default: return nil
        }
    }
}
