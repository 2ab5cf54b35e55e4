import Foundation

/// `GET /containers/{id}/json` in full, as the engine sent it, for people who want to see all of it.
/// Every environment value (`Config.Env`, `NAME=value`) becomes `NAME=***` while decoding unless
/// revealing was asked for (an admin's audited request in the app), so a value exists past this
/// parser only then.
public struct ContainerInspectDocument: Sendable, Equatable {
    public static let mask = "***"

    /// The document as JSON, keys sorted.
    public var json: Data
    public var environmentRevealed: Bool

    public static func decode(_ data: Data, revealEnvironment: Bool) throws(ParseError) -> ContainerInspectDocument {
        let value: InspectJSON
        do {
            value = try JSONDecoder().decode(InspectJSON.self, from: data)
        } catch {
            throw ParseError(source: "GET /containers/{id}/json", reason: "invalid JSON: \(String(describing: error).prefix(200))")
        }
        guard case .object(var document) = value else {
            throw ParseError(source: "GET /containers/{id}/json", reason: "expected a JSON object")
        }
        if !revealEnvironment, case .object(var config)? = document["Config"], case .array(let environment)? = config["Env"] {
            config["Env"] = .array(environment.map(masked))
            document["Config"] = .object(config)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return ContainerInspectDocument(json: try encoder.encode(InspectJSON.object(document)), environmentRevealed: revealEnvironment)
        } catch {
            throw ParseError(source: "GET /containers/{id}/json", reason: "could not re-encode: \(String(describing: error).prefix(200))")
        }
    }

    /// `NAME=value` → `NAME=***`; anything that is not a string is dropped to null (never passed on).
    private static func masked(_ entry: InspectJSON) -> InspectJSON {
        guard case .string(let text) = entry else { return .null }
        return .string(text.prefix { $0 != "=" } + "=" + mask)
    }
}

/// Any JSON value, kept as it came (dictionary keys are never rewritten).
indirect enum InspectJSON: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([InspectJSON])
    case object([String: InspectJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Order matters: JSONDecoder refuses to read `true` as a number and `1` as a Bool.
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([InspectJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: InspectJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
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
}
