// Shared, allocation-light helpers for reading line-oriented command output.
//
// They work on UTF-8 bytes instead of Characters: /proc/stat's `intr` line alone can be
// 130 KB, and grapheme breaking every byte of remote output made parsing needlessly slow.
// Splitting only ever happens on ASCII bytes, so every slice stays on a scalar boundary.

/// One line of command output with its 1-based number (for `ParseError.line`).
struct NumberedLine {
    let number: Int
    let text: Substring
}

enum TextScanning {
    /// Splits on "\n" and drops one trailing "\r", so CRLF output (e.g. captured through a PTY)
    /// reads like LF output. Empty lines are kept so line numbers match the input.
    static func lines(_ text: String) -> [NumberedLine] {
        var result: [NumberedLine] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var number = 1
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\n") {
                result.append(NumberedLine(number: number, text: stripCarriageReturn(text[start..<index])))
                number += 1
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if start < bytes.endIndex {
            result.append(NumberedLine(number: number, text: stripCarriageReturn(text[start..<bytes.endIndex])))
        }
        return result
    }

    private static func stripCarriageReturn(_ line: Substring) -> Substring {
        guard line.utf8.last == UInt8(ascii: "\r") else { return line }
        return line[line.startIndex..<line.utf8.index(before: line.utf8.endIndex)]
    }

    /// Whitespace-separated fields (spaces and tabs), without empty fields.
    static func fields(_ line: Substring) -> [Substring] {
        var result: [Substring] = []
        let bytes = line.utf8
        var fieldStart: Substring.Index?
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                if let start = fieldStart {
                    result.append(line[start..<index])
                    fieldStart = nil
                }
            } else if fieldStart == nil {
                fieldStart = index
            }
            index = bytes.index(after: index)
        }
        if let start = fieldStart {
            result.append(line[start..<bytes.endIndex])
        }
        return result
    }

    /// The line without leading and trailing spaces/tabs.
    static func trimmed(_ line: Substring) -> Substring {
        let bytes = line.utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isBlank(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return line[start..<end]
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// Unsigned decimal made of ASCII digits only. Unlike `UInt64(_:)` this rejects "+1" and
    /// "-0", and returns nil on overflow instead of guessing.
    static func unsigned(_ text: Substring) -> UInt64? {
        guard !text.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// Non-negative Int small enough for counts and indices.
    static func int(_ text: Substring) -> Int? {
        guard let value = unsigned(text), value <= UInt64(Int.max) else { return nil }
        return Int(value)
    }

    /// Plain decimal like "0.05" or "46901.13": digits with at most one dot. Rejects the
    /// "nan", "inf" and hex forms that `Double(_:)` would accept from hostile input.
    static func decimal(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.utf8.count <= 40 else { return nil }
        var sawDigit = false
        var sawDot = false
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                sawDigit = true
            } else if byte == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                return nil
            }
        }
        guard sawDigit, let value = Double(String(text)), value.isFinite else { return nil }
        return value
    }

    /// `a * b`, or nil on overflow.
    static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }

    /// Sum that sticks at `UInt64.max` instead of trapping on absurd (fuzzed) counters.
    static func saturatingSum(_ values: UInt64...) -> UInt64 {
        var total: UInt64 = 0
        for value in values {
            let (sum, overflow) = total.addingReportingOverflow(value)
            total = overflow ? UInt64.max : sum
        }
        return total
    }
}
