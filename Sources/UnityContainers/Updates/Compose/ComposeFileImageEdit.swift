import Foundation

/// Rewrites the `image:` of one service in a Compose file's text, keeping everything else — comments,
/// quoting, key order, anchors elsewhere — byte for byte, so the operator's file stays theirs. A YAML
/// library would re-emit the whole document; a line edit changes exactly one value.
///
/// Only the common block style is edited (`services:` at the top, one service per key, `image:` a
/// plain or quoted scalar). Anything else — a flow mapping, an `${VARIABLE}` in the image, a service
/// without `image:` (built locally) — is refused with the reason, and the caller takes the API path.
public enum ComposeFileImageEdit {
    public enum Outcome: Sendable, Equatable {
        /// The file already names `reference`: pull and `up` are enough (a floating tag).
        case unchanged
        case edited(text: String, previous: String)
    }

    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case noServicesSection
        case serviceNotFound(String)
        case noImage(service: String)
        case unsupported(String)

        public var description: String {
            switch self {
            case .noServicesSection: "the file has no top-level services: block"
            case .serviceNotFound(let name): "the file has no service \(name)"
            case .noImage(let name): "service \(name) has no image: (it is built), so its image cannot be changed in the file"
            case .unsupported(let why): why
            }
        }
    }

    /// The current `image:` of `service`, or why it cannot be read.
    public static func currentImage(in text: String, service: String) throws(Refusal) -> String {
        let lines = text.components(separatedBy: "\n")
        let line = try imageLine(in: lines, service: service)
        return try parseValue(lines[line]).value
    }

    /// The file with `service`'s image set to `reference`.
    public static func setImage(_ reference: String, in text: String, service: String) throws(Refusal) -> Outcome {
        guard !reference.isEmpty, !reference.contains(where: { $0.isNewline || $0 == "#" || $0 == "'" || $0 == "\"" }) else {
            throw .unsupported("the new image reference is not a plain reference")
        }
        var lines = text.components(separatedBy: "\n")
        let index = try imageLine(in: lines, service: service)
        let parsed = try parseValue(lines[index])
        if parsed.value == reference { return .unchanged }
        lines[index] = parsed.prefix + parsed.quote + reference + parsed.quote + parsed.suffix
        return .edited(text: lines.joined(separator: "\n"), previous: parsed.value)
    }

    // MARK: - Reading the block structure

    private static func imageLine(in lines: [String], service: String) throws(Refusal) -> Int {
        guard let servicesLine = lines.firstIndex(where: { key(of: $0) == "services" && indent(of: $0) == 0 }) else {
            throw .noServicesSection
        }
        if let inline = valueAfterKey(lines[servicesLine]), !inline.isEmpty, !inline.hasPrefix("#") {
            throw .unsupported("services: is written in flow style; only block style is edited")
        }
        let serviceIndent = childIndent(of: servicesLine, in: lines, parentIndent: 0)
        guard let serviceIndent else { throw .serviceNotFound(service) }
        guard let serviceLine = children(of: servicesLine, in: lines, indent: serviceIndent).first(where: { key(of: lines[$0]) == service }) else {
            throw .serviceNotFound(service)
        }
        guard let fieldIndent = childIndent(of: serviceLine, in: lines, parentIndent: serviceIndent),
              let image = children(of: serviceLine, in: lines, indent: fieldIndent).first(where: { key(of: lines[$0]) == "image" }) else {
            throw .noImage(service: service)
        }
        return image
    }

    /// Line numbers of the direct children (keys at exactly `indent`) of the block opened at `parent`.
    private static func children(of parent: Int, in lines: [String], indent: Int) -> [Int] {
        let parentIndent = Self.indent(of: lines[parent])
        var result: [Int] = []
        var index = parent + 1
        while index < lines.count {
            let line = lines[index]
            if isBlankOrComment(line) { index += 1; continue }
            let current = Self.indent(of: line)
            if current <= parentIndent { break }
            if current == indent { result.append(index) }
            index += 1
        }
        return result
    }

    /// The indentation of the first non-blank line under `parent`, if it is deeper than the parent.
    private static func childIndent(of parent: Int, in lines: [String], parentIndent: Int) -> Int? {
        var index = parent + 1
        while index < lines.count {
            if !isBlankOrComment(lines[index]) {
                let current = indent(of: lines[index])
                return current > parentIndent ? current : nil
            }
            index += 1
        }
        return nil
    }

    private static func isBlankOrComment(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    private static func indent(of line: String) -> Int { line.prefix(while: { $0 == " " }).count }

    /// The mapping key of a line (`  web:` → `web`, `"web":` → `web`), nil for list items and scalars.
    private static func key(of line: String) -> String? {
        let trimmed = line.drop(while: { $0 == " " })
        guard !trimmed.hasPrefix("-"), !trimmed.hasPrefix("#"), let colon = keyColon(in: Substring(trimmed)) else { return nil }
        var name = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
        if name.count >= 2, let first = name.first, first == name.last, first == "\"" || first == "'" {
            name = String(name.dropFirst().dropLast())
        }
        return name
    }

    /// The colon that ends a key: followed by a space or the end of the line, outside quotes.
    private static func keyColon(in text: Substring) -> Substring.Index? {
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            if let open = quote {
                if char == open { quote = nil }
            } else if char == "\"" || char == "'" {
                quote = char
            } else if char == ":" {
                let next = text.index(after: index)
                if next == text.endIndex || text[next] == " " { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func valueAfterKey(_ line: String) -> String? {
        let trimmed = Substring(line.drop(while: { $0 == " " }))
        guard let colon = keyColon(in: trimmed) else { return nil }
        return String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
    }

    // MARK: - The value

    private struct ParsedValue {
        var prefix: String
        var quote: String
        var value: String
        var suffix: String
    }

    private static func parseValue(_ line: String) throws(Refusal) -> ParsedValue {
        let leading = line.prefix(while: { $0 == " " })
        let rest = Substring(line.dropFirst(leading.count))
        guard let colon = keyColon(in: rest) else { throw .unsupported("image: could not be read") }
        var afterColon = rest[rest.index(after: colon)...]
        let gap = afterColon.prefix(while: { $0 == " " })
        afterColon = afterColon.dropFirst(gap.count)
        let prefix = String(leading) + String(rest[...colon]) + String(gap)
        var quote = ""
        var value: Substring
        var suffix: Substring
        if let first = afterColon.first, first == "\"" || first == "'" {
            quote = String(first)
            let body = afterColon.dropFirst()
            guard let close = body.firstIndex(of: first) else { throw .unsupported("image: has an unterminated quote") }
            value = body[..<close]
            suffix = body[body.index(after: close)...]
        } else {
            let end = afterColon.range(of: " #")?.lowerBound ?? afterColon.endIndex
            value = afterColon[..<end]
            suffix = afterColon[end...]
            let trailing = value.reversed().prefix(while: { $0 == " " }).count
            if trailing > 0 {
                suffix = afterColon[value.index(value.endIndex, offsetBy: -trailing)...]
                value = value.dropLast(trailing)
            }
        }
        let text = String(value)
        if text.isEmpty || text.hasPrefix("&") || text.hasPrefix("*") || text.hasPrefix("|") || text.hasPrefix(">") {
            throw .unsupported("image: is not a plain value (an anchor, alias or block scalar)")
        }
        if text.contains("$") { throw .unsupported("image: uses a variable (\(text)); the file is left alone") }
        return ParsedValue(prefix: prefix, quote: quote, value: text, suffix: String(suffix))
    }
}
