/// Removes terminal escape sequences (colours, cursor movement, titles) and other control
/// characters from container output before it is shown as HTML text: a log line holding
/// `ESC[31m` renders as plain "red", not as garbage, and no control byte reaches the page.
/// Tabs and newlines stay. Pure; handles truncated sequences at the end of the text by dropping them.
public enum ANSIEscapeStripper {
    public static func strip(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar.value {
            case 0x1B:
                index = endOfEscape(scalars, from: index + 1)
                continue
            case 0x9B:  // C1 CSI
                index = endOfCSI(scalars, from: index + 1)
                continue
            case 0x9D:  // C1 OSC
                index = endOfOSC(scalars, from: index + 1)
                continue
            case 0x09, 0x0A:
                output.append(scalar)
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                break  // other C0/C1 controls (BEL, backspace, CR) are dropped
            default:
                output.append(scalar)
            }
            index += 1
        }
        return String(output)
    }

    /// Index after the sequence that started with ESC at `from - 1`.
    private static func endOfEscape(_ scalars: [Unicode.Scalar], from index: Int) -> Int {
        guard index < scalars.count else { return index }
        switch scalars[index] {
        case "[": return endOfCSI(scalars, from: index + 1)
        case "]", "P", "X", "^", "_": return endOfOSC(scalars, from: index + 1)
        default:
            // ESC + intermediates (0x20–0x2F) + one final byte: charset selection, keypad modes, …
            var cursor = index
            while cursor < scalars.count, (0x20...0x2F).contains(scalars[cursor].value) { cursor += 1 }
            return min(cursor + 1, scalars.count)
        }
    }

    /// CSI: parameter bytes 0x30–0x3F, intermediates 0x20–0x2F, one final byte 0x40–0x7E.
    private static func endOfCSI(_ scalars: [Unicode.Scalar], from index: Int) -> Int {
        var cursor = index
        while cursor < scalars.count {
            let value = scalars[cursor].value
            cursor += 1
            if (0x40...0x7E).contains(value) { return cursor }
            if !(0x20...0x3F).contains(value) { return cursor - 1 }  // malformed: stop before it
        }
        return cursor
    }

    /// OSC/DCS/…: until BEL or ST (ESC \ or 0x9C).
    private static func endOfOSC(_ scalars: [Unicode.Scalar], from index: Int) -> Int {
        var cursor = index
        while cursor < scalars.count {
            let value = scalars[cursor].value
            if value == 0x07 || value == 0x9C { return cursor + 1 }
            if value == 0x1B, cursor + 1 < scalars.count, scalars[cursor + 1] == "\\" { return cursor + 2 }
            cursor += 1
        }
        return cursor
    }
}
