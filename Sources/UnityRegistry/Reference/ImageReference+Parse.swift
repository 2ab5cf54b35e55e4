import Foundation

extension ImageReference {
    /// Parses and normalises a reference. Never traps: the text comes from engines and users.
    public static func parse(_ text: String) throws(ImageReferenceError) -> ImageReference {
        let input = text.trimmingCharacters(in: .whitespaces)
        guard !input.isEmpty else { throw .empty }
        guard input.count <= 1024 else { throw .invalid(input, reason: "longer than 1024 characters") }

        var remainder = Substring(input)
        var digest: String?
        if let at = remainder.firstIndex(of: "@") {
            let value = String(remainder[remainder.index(after: at)...])
            guard isDigest(value) else { throw .invalid(input, reason: "digest must be algorithm:hex") }
            digest = value
            remainder = remainder[..<at]
        }

        var tag: String?
        if let colon = remainder.lastIndex(of: ":"), !remainder[colon...].contains("/") {
            let value = String(remainder[remainder.index(after: colon)...])
            guard isTag(value) else { throw .invalid(input, reason: "tag \"\(value.prefix(130))\" is not valid") }
            tag = value
            remainder = remainder[..<colon]
        }

        var components = remainder.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var registry = dockerHub
        if components.count > 1, isDomain(components[0]) {
            registry = components.removeFirst()
        }
        if registry == "index.docker.io" || registry == "registry-1.docker.io" { registry = dockerHub }
        guard !components.isEmpty, components.allSatisfy(isPathComponent) else {
            throw .invalid(input, reason: "repository must be lower-case path components")
        }
        if registry == dockerHub, components.count == 1 { components.insert("library", at: 0) }
        if tag == nil, digest == nil { tag = "latest" }
        return ImageReference(registry: registry, repository: components.joined(separator: "/"), tag: tag, digest: digest)
    }

    static func isDomain(_ component: String) -> Bool {
        guard component.contains(".") || component.contains(":") || component == "localhost"
                || component.contains(where: \.isUppercase) else { return false }
        let host = component.split(separator: ":", maxSplits: 1)
        guard let name = host.first, !name.isEmpty,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else { return false }
        if host.count == 2 { return host[1].allSatisfy(\.isASCII) && UInt16(host[1]) != nil }
        return true
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isPathComponent(_ component: String) -> Bool {
        guard let first = component.first, let last = component.last,
              isLowerAlnum(first), isLowerAlnum(last) else { return false }
        var previousSeparator: Character?
        var separatorRun = 0
        for character in component {
            if isLowerAlnum(character) { previousSeparator = nil; separatorRun = 0; continue }
            guard character == "." || character == "_" || character == "-" else { return false }
            if let previous = previousSeparator {
                separatorRun += 1
                let allowed = (previous == "-" && character == "-") || (previous == "_" && character == "_" && separatorRun == 1)
                guard allowed else { return false }
            }
            previousSeparator = character
        }
        return true
    }

    /// `[\w][\w.-]{0,127}`
    static func isTag(_ tag: String) -> Bool {
        guard let first = tag.first, tag.count <= 128, isWord(first) else { return false }
        return tag.allSatisfy { isWord($0) || $0 == "." || $0 == "-" }
    }

    static func isDigest(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 32,
              parts[0].allSatisfy({ isLowerAlnum($0) || $0 == "+" || $0 == "." || $0 == "_" || $0 == "-" }) else { return false }
        return parts[1].allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    private static func isLowerAlnum(_ character: Character) -> Bool {
        character.isASCII && (character.isNumber || character.isLowercase)
    }

    private static func isWord(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_")
    }
}
