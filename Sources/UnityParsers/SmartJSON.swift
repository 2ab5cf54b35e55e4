import Foundation

/// Read-only, type-forgiving view over a `JSONSerialization` tree.
///
/// smartctl's JSON differs between versions (7.0 … 7.5), drive types and redaction scripts, so every
/// lookup is optional and a value of the wrong type reads as `nil` instead of failing the whole
/// document: one odd field must not hide the rest of a drive's health data.
struct SmartJSON {
    let value: Any?

    init(_ value: Any?) { self.value = value }

    /// Parses `text`; `nil` when it is not JSON at all.
    static func parse(_ text: String) -> SmartJSON? {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return nil }
        return SmartJSON(object)
    }

    subscript(key: String) -> SmartJSON {
        SmartJSON((value as? [String: Any])?[key])
    }

    var isObject: Bool { value is [String: Any] }

    var array: [SmartJSON] {
        guard let items = value as? [Any] else { return [] }
        return items.map(SmartJSON.init)
    }

    var string: String? {
        guard let text = value as? String else { return nil }
        return text
    }

    /// Integers only: fractions, strings, booleans and numbers beyond `Int` read as `nil`, so
    /// garbage never turns into a plausible-looking counter.
    var int: Int? {
        guard let number = value as? NSNumber, !Self.isBoolean(number) else { return nil }
        let double = number.doubleValue
        guard double.isFinite, double == double.rounded(),
              double >= -9.0e18, double <= 9.0e18 else { return nil }
        // int64Value is exact for integral values in range; the Double check above rejects
        // 1.5 and 1e300, which NSNumber would silently truncate or clamp.
        return Int(exactly: number.int64Value)
    }

    var bool: Bool? {
        guard let number = value as? NSNumber, Self.isBoolean(number) else { return nil }
        return number.boolValue
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        // JSONSerialization represents true/false as NSNumber too; objCType "c" marks a Bool.
        String(cString: number.objCType) == "c"
    }
}
