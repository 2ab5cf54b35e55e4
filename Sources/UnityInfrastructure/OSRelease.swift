import Foundation

/// `/etc/os-release` (KEY=value, optionally quoted) and `uname -srm`.
enum OSRelease {
    static func fields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals])
            fields[key] = unquote(line[line.index(after: equals)...])
        }
        return fields
    }

    /// Strips one pair of matching quotes and the shell escapes os-release allows inside them.
    private static func unquote(_ value: Substring) -> String {
        guard let first = value.first, first == "\"" || first == "'", value.count >= 2, value.last == first else {
            return String(value)
        }
        var result = ""
        var escaped = false
        for character in value.dropFirst().dropLast() {
            if escaped || first == "'" || character != "\\" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }

    /// "Linux 6.1.0-18-amd64 x86_64" → (kernel name, release, machine). A release never holds
    /// spaces on Linux, but joining the middle words keeps odd systems readable.
    static func uname(_ text: String) -> (name: String, release: String, machine: String)? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r\n" })
        guard words.count >= 3, let name = words.first, let machine = words.last else { return nil }
        return (String(name), words.dropFirst().dropLast().joined(separator: " "), String(machine))
    }
}
