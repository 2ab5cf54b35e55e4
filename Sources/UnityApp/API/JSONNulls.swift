import Foundation
import Vapor

/// PATCH bodies follow JSON merge patch (RFC 7396) for optional references: a key sent as `null`
/// clears the value, a missing key keeps it. Codable cannot tell the two apart, so the raw body is
/// read once for its top-level `null` keys.
enum JSONNulls {
    static func keys(in request: Request) -> Set<String> {
        guard let buffer = request.body.data,
              let object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else { return [] }
        return Set(object.filter { $0.value is NSNull }.map(\.key))
    }
}

/// An update body plus the keys to send as explicit `null` (for callers inside Unity, such as the
/// web forms, that build the body in Swift).
struct PatchBody<Body: Encodable>: Encodable {
    var body: Body
    var nulls: [String]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        try body.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        for key in nulls { try container.encodeNil(forKey: Key(stringValue: key)) }
    }
}
