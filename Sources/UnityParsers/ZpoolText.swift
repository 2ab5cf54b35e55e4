/// Small text helpers shared by the zpool parsers (kept as static functions, not extensions on
/// standard types, so they cannot collide with other parsers' helpers in this module).
enum ZpoolText {
    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// `nil` instead of a trap when `index` is out of bounds.
    static func element<C: Collection>(_ collection: C, _ index: C.Index) -> C.Element? {
        collection.indices.contains(index) ? collection[index] : nil
    }

    /// Display column of the first non-blank character, with tabs advancing to the next multiple
    /// of 8 as a terminal shows them. zpool indents the config tree with a tab plus two spaces per
    /// level, while Solaris captures use eight spaces: both give the same columns this way.
    static func indentation<S: StringProtocol>(_ line: S) -> Int {
        var column = 0
        for byte in line.utf8 {
            if byte == UInt8(ascii: "\t") {
                column = (column / 8 + 1) * 8
            } else if byte == UInt8(ascii: " ") {
                column += 1
            } else {
                break
            }
        }
        return column
    }

    /// Splits on ASCII blanks, scanning bytes rather than Characters: this runs on every line of
    /// every output, and zpool's separators are always plain spaces and tabs.
    static func words(_ text: Substring) -> [Substring] {
        text.utf8.split(whereSeparator: isBlankByte).map(Substring.init)
    }

    static func words(_ text: String) -> [Substring] { words(Substring(text)) }

    /// Lines split on "\n" bytes, with a trailing "\r" removed (output captured through a PTY).
    /// Byte-based for speed: splitting a String by Character runs grapheme breaking on every byte.
    static func lines(_ text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { withoutCarriageReturn(Substring($0)) }
    }

    private static func withoutCarriageReturn(_ line: Substring) -> Substring {
        line.utf8.last == UInt8(ascii: "\r") ? line.dropLast() : line
    }

    static func isBlank<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.allSatisfy(isBlankByte)
    }

    private static func isBlankByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n") || byte == 0x0B || byte == 0x0C
    }
}
