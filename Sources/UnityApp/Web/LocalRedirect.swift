import Foundation

/// Where a browser may be sent after signing in: a path on this site and nothing else.
///
/// Browsers are lenient where a naive check is not (WHATWG URL parsing drops tabs and newlines
/// anywhere, reads `\` as `/`, and `//host` is another site), so `/\t/evil.example` passes a
/// "starts with one slash" test and still lands on evil.example. The rule is therefore strict:
/// printable ASCII only, no backslash, in the raw text and in every percent-decoded layer of it,
/// one leading slash, and what is left must resolve to no scheme and no host.
enum LocalRedirect {
    static func isSafe(_ target: String) -> Bool {
        var layer = target
        // Each decoding may reveal another encoded layer (`%252F`); a real link has one or two.
        for _ in 0...4 {
            guard isPlainLocalPath(layer) else { return false }
            guard let decoded = layer.removingPercentEncoding, decoded != layer else { return resolvesLocally(target) }
            layer = decoded
        }
        return false
    }

    /// Read as a URL reference, the target names no scheme, no user and no host: only a path.
    private static func resolvesLocally(_ target: String) -> Bool {
        guard let components = URLComponents(string: target) else { return false }
        return components.scheme == nil && components.host == nil && components.user == nil && components.path.hasPrefix("/")
    }

    private static func isPlainLocalPath(_ text: String) -> Bool {
        guard text.hasPrefix("/"), !text.hasPrefix("//") else { return false }
        // 0x21...0x7E: no spaces, tabs, newlines, other control characters or non-ASCII look-alikes.
        return text.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) && $0 != "\\" }
    }
}
