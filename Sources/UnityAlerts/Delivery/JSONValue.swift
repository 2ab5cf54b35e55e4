import Foundation

/// A JSON tree for request bodies: encoded with sorted keys so signatures and tests are stable.
public enum JSONValue: Sendable, Hashable, Encodable {
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of strings, numbers and containers cannot fail except for NaN/inf,
        // which `number` never holds (values are formatted as strings upstream).
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }
}


extension JSONValue {
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    static func date(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(ISO8601DateFormatter().string(from: date))
    }

    /// The alert as the generic webhook sends it (snake_case, stable field names).
    static func alert(_ alert: AlertState) -> JSONValue {
        .object([
            "id": .string(alert.id.uuidString.lowercased()), "rule_id": .string(alert.ruleID.uuidString.lowercased()),
            "rule": .string(alert.ruleName), "source": .string(alert.source.rawValue),
            "severity": .string(alert.severity.rawValue), "status": .string(alert.status.rawValue),
            "resource": .object([
                "type": .string(alert.resource.type), "id": .string(alert.resource.id),
                "name": .string(alert.resource.name), "server_id": .optional(alert.resource.serverID),
            ]),
            "value": alert.value.isFinite ? .number(alert.value) : .null,
            "trigger_value": alert.triggerValue.flatMap { $0.isFinite ? JSONValue.number($0) : nil } ?? .null,
            "message": .string(alert.message), "fired_at": .date(alert.firedAt), "resolved_at": .date(alert.resolvedAt),
            "acknowledged_by": .optional(alert.acknowledgement?.by), "note": .optional(alert.acknowledgement?.note),
        ])
    }
}
