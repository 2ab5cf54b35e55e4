/// POSIX `sh` quoting for values that end up inside a command line sent to a remote host.
enum ShellQuote {
    /// Always single-quotes, even for "safe" words, so generated commands are predictable to
    /// test and nothing depends on a hand-maintained list of safe characters. Inside single
    /// quotes only `'` is special; it is written as `'\''` (close, escaped quote, reopen).
    static func quote(_ value: String) -> String {
        "'" + value.replacing("'", with: "'\\''") + "'"
    }
}
