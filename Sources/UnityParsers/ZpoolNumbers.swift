/// Number formats printed by `zpool`: exact integers (`-p`), `zfs_nicenum` values with 1024-based
/// suffixes ("1.2K", "704G", "0B"), percentages and durations. All decoders return `nil` rather
/// than trap on anything odd, including values too large for `Int`.
enum ZpoolNumbers {
    private static let units: [Character] = ["B", "K", "M", "G", "T", "P", "E", "Z"]

    /// "1234" → 1234, "1.2K" → 1228, "1.66T" → 1825… (rounded down), "0B" → 0, "-" → nil.
    /// Human-readable values are approximate by nature; use `-p` output for exact numbers.
    static func size(_ text: Substring) -> Int? {
        if let exact = unsignedInteger(text) { return exact }
        guard let unit = text.last, let power = units.firstIndex(of: unit) else { return nil }
        let mantissa = text.dropLast()
        guard isDecimal(mantissa), let value = Double(String(mantissa)) else { return nil }
        var multiplier = 1.0
        for _ in 0..<power { multiplier *= 1024 }
        return exactInt(value * multiplier)
    }

    static func size(_ text: String) -> Int? { size(Substring(text)) }

    /// Digits only: no sign, no spaces (Swift's `Int("+5")` and `Int("-5")` would accept those).
    static func unsignedInteger(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy(isDigit) else { return nil }
        return Int(text)
    }

    /// "24.76%" → 24.76; also accepts a bare decimal.
    static func percent(_ text: Substring) -> Double? {
        let digits = text.hasSuffix("%") ? text.dropLast() : text
        guard isDecimal(digits), let value = Double(String(digits)), value.isFinite else { return nil }
        return value
    }

    /// Durations as zpool prints them: "00:01:02", "1 days 02:03:04", and the older "14h7m",
    /// "0h0m", "1h2m3s". Returns seconds.
    static func durationSeconds(_ text: String) -> Int? {
        let tokens = text.split(whereSeparator: \.isWhitespace)
        guard !tokens.isEmpty else { return nil }
        var total = 0
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            let seconds: Int?
            if next == "days" || next == "day" {
                seconds = unsignedInteger(token).flatMap { multiply($0, 86_400) }
                index += 1
            } else if token.contains(":") {
                seconds = clockSeconds(token)
            } else {
                seconds = unitSeconds(token)
            }
            guard let seconds, let sum = add(total, seconds) else { return nil }
            total = sum
            index += 1
        }
        return total
    }

    /// "02:03:04" or "03:04".
    private static func clockSeconds(_ token: Substring) -> Int? {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false).map(unsignedInteger)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var total = 0
        for part in parts {
            guard let part, let scaled = multiply(total, 60), let sum = add(scaled, part) else { return nil }
            total = sum
        }
        return total
    }

    /// "14h7m", "0h0m", "1h2m3s", "45s".
    private static func unitSeconds(_ token: Substring) -> Int? {
        var total = 0
        var digits = Substring()
        var sawUnit = false
        for character in token {
            if isDigit(character) {
                digits.append(character)
                continue
            }
            let scale: Int
            switch character {
            case "d": scale = 86_400
            case "h": scale = 3_600
            case "m": scale = 60
            case "s": scale = 1
            default: return nil
            }
            guard let value = unsignedInteger(digits), let part = multiply(value, scale),
                  let sum = add(total, part) else { return nil }
            total = sum
            digits = ""
            sawUnit = true
        }
        return sawUnit && digits.isEmpty ? total : nil
    }

    private static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }

    /// "1.66", "704", "0.00" — rejects "nan", "inf", "1e9" and signs, which `Double()` would take.
    private static func isDecimal(_ text: Substring) -> Bool {
        var dots = 0
        for character in text {
            if character == "." { dots += 1 } else if !isDigit(character) { return false }
        }
        return !text.isEmpty && dots <= 1 && text != "."
    }

    private static func exactInt(_ value: Double) -> Int? {
        guard value.isFinite, value >= 0, value < 9.0e18 else { return nil }
        return Int(value.rounded(.down))
    }

    private static func multiply(_ a: Int, _ b: Int) -> Int? {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : result
    }

    private static func add(_ a: Int, _ b: Int) -> Int? {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : result
    }
}
