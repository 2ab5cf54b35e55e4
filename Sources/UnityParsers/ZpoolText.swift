/// Small text helpers shared by the zpool parsers (kept as static functions, not extensions on
/// standard types, so they cannot collide with other parsers' helpers in this module).
enum ZpoolText {
    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
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
        for character in line {
            if character == "\t" {
                column = (column / 8 + 1) * 8
            } else if character == " " {
                column += 1
            } else {
                break
            }
        }
        return column
    }

    static func words<S: StringProtocol>(_ text: S) -> [S.SubSequence] {
        text.split(whereSeparator: \.isWhitespace)
    }
}
