import Foundation

/// An authorized_keys file as bytes split into lines. Pure value type: parsing never throws or traps,
/// whatever the input (binary garbage, CRLF, unbalanced quotes); lines it does not understand are
/// kept as they are. Edits touch only the line they add or the lines whose key matches, so every
/// other byte (options, comments, blank lines, other keys, a missing final newline) stays identical.
public struct AuthorizedKeys: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// The line's bytes without its terminating `\n`.
        public let raw: Data
        /// False only for a last line without a final newline.
        public let terminated: Bool
        /// The options field (`command="…",no-pty`) when the line has one.
        public let options: String?
        /// The key on this line; nil for blank lines, comments and lines sshd would ignore.
        public let key: PublicKey?
    }

    /// The outcome of an edit: the complete new file and whether it differs from the old one.
    public struct Edit: Sendable, Equatable {
        public let data: Data
        public let changed: Bool
        /// Lines that carried the key (already present for `adding`, removed for `removing`).
        public let matchedLines: Int
    }

    public let lines: [Line]

    public init(_ data: Data) {
        var lines: [Line] = []
        var start = data.startIndex
        while start < data.endIndex {
            let newline = data[start...].firstIndex(of: UInt8(ascii: "\n"))
            let raw = Data(data[start..<(newline ?? data.endIndex)])
            let (options, key) = Self.parse(raw)
            lines.append(Line(raw: raw, terminated: newline != nil, options: options, key: key))
            start = newline.map { data.index(after: $0) } ?? data.endIndex
        }
        self.lines = lines
    }

    public init(text: String) { self.init(Data(text.utf8)) }

    /// The file's bytes: identical to what it was parsed from.
    public var data: Data {
        lines.reduce(into: Data()) { result, line in
            result.append(line.raw)
            if line.terminated { result.append(UInt8(ascii: "\n")) }
        }
    }

    public var keys: [PublicKey] { lines.compactMap(\.key) }

    public func contains(_ key: PublicKey) -> Bool { lines.contains { $0.key == key } }

    /// Appends `entryLine` unless a line with the same key (type + blob) is already there, whatever its
    /// options or comment: sshd uses the first matching line, so a second copy would never take effect
    /// and would only make a later revoke look partial. Refuses a line that is not exactly one valid entry.
    public func adding(_ entryLine: String) throws(KeyLineError) -> Edit {
        guard !entryLine.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else { throw .notOneLine }
        let parsed = Self.parse(Data(entryLine.utf8))
        guard let key = parsed.key else {
            throw parsed.options == nil ? .malformed("no key found in line") : .invalidOptions
        }
        let present = lines.filter { $0.key == key }.count
        guard present == 0 else { return Edit(data: data, changed: false, matchedLines: present) }
        var result = data
        if let last = lines.last, !last.terminated { result.append(UInt8(ascii: "\n")) }
        result.append(contentsOf: entryLine.utf8)
        result.append(UInt8(ascii: "\n"))
        return Edit(data: result, changed: true, matchedLines: 0)
    }

    /// Drops exactly the lines whose key equals `key` (type + decoded blob), never a line whose blob
    /// merely starts alike; everything else is kept byte for byte.
    public func removing(keyMatching key: PublicKey) -> Edit {
        let kept = lines.filter { $0.key != key }
        let removed = lines.count - kept.count
        guard removed > 0 else { return Edit(data: data, changed: false, matchedLines: 0) }
        let result = kept.reduce(into: Data()) { result, line in
            result.append(line.raw)
            if line.terminated { result.append(UInt8(ascii: "\n")) }
        }
        return Edit(data: result, changed: true, matchedLines: removed)
    }

    // MARK: - Parsing, following sshd's auth_check_authkey_line

    /// Options (if any) and key of one line. sshd first tries the line as a bare key; failing that it
    /// skips an options field (commas, `"…"` quoting with `\"` escapes, ends at an unquoted blank) and
    /// tries again. An unclosed quote makes the whole line invalid.
    static func parse(_ raw: Data) -> (options: String?, key: PublicKey?) {
        var text = Substring(String(decoding: raw, as: UTF8.self))
        if text.hasSuffix("\r") { text = text.dropLast() }  // CRLF files: sshd would not match either way, but be lenient
        text = text.drop(while: isBlank)
        guard let first = text.first, first != "#" else { return (nil, nil) }
        if let key = keyAt(text) { return (nil, key) }
        var quoted = false
        var index = text.startIndex
        while index < text.endIndex, quoted || !isBlank(text[index]) {
            let next = text.index(after: index)
            if text[index] == "\\", next < text.endIndex, text[next] == "\"" {
                index = text.index(after: next)
                continue
            }
            if text[index] == "\"" { quoted.toggle() }
            index = next
        }
        let options = String(text[..<index])
        guard !quoted else { return (options, nil) }
        return (options, keyAt(text[index...].drop(while: isBlank)))
    }

    /// `type blob [comment]` at the start of `text`, or nil.
    private static func keyAt(_ text: Substring) -> PublicKey? {
        guard let typeEnd = text.firstIndex(where: isBlank) else { return nil }
        let algorithm = text[..<typeEnd]
        guard PublicKey.isAlgorithm(algorithm) else { return nil }
        let rest = text[typeEnd...].drop(while: isBlank)
        let blobEnd = rest.firstIndex(where: isBlank) ?? rest.endIndex
        let comment = rest[blobEnd...].drop(while: isBlank)
        let trimmedComment = comment.reversed().drop(while: isBlank).reversed()
        return PublicKey(algorithm: String(algorithm), blobBase64: String(rest[..<blobEnd]), comment: String(trimmedComment))
    }

    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }
}

extension AuthorizedKeys {
    /// The authorized_keys line for `key` with optional `options` (e.g. `from="10.0.0.0/8",no-pty`).
    /// Validated by parsing it back: it must yield exactly `key`, so options can never smuggle in a
    /// second key or a line break.
    public static func entryLine(for key: PublicKey, options: String? = nil) throws(KeyLineError) -> String {
        let options = options?.trimmingCharacters(in: .whitespaces) ?? ""
        let line = options.isEmpty ? key.line : "\(options) \(key.line)"
        guard !line.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else { throw .notOneLine }
        let parsed = parse(Data(line.utf8))
        guard parsed.key == key, (parsed.options ?? "") == options else { throw .invalidOptions }
        return line
    }
}
