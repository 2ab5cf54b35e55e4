/// POSIX shell quoting for values that end up in a remote command line.
public enum ShellQuote {
    /// Quotes `value` so that any POSIX `sh` reads it back as one literal word.
    /// Single quotes disable every expansion; an embedded `'` becomes `'\''` (close, escaped quote, reopen).
    /// Newlines, `$(…)`, backticks, `;` and globs are inert inside single quotes.
    public static func quote(_ value: String) -> String {
        if !value.isEmpty, value.unicodeScalars.allSatisfy(isSafe) { return value }
        return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Quotes each word and joins them with spaces: an argv as a shell command line.
    public static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    /// Characters that never need quoting; keeps common commands readable in logs and audit records.
    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", ",", "+", "=", "@", "%": true
        default: false
        }
    }
}
