import Foundation
import UnitySSH

/// Remote commands that replace a file safely: the bytes go on stdin into a temp file in the
/// target's own directory (so the final `mv` is a same-filesystem rename, never a half-written
/// file), which gets its mode and owner before it takes the real name.
enum RemoteFileWrite {
    enum Invalid: Error, CustomStringConvertible {
        case path(String), mode(String), owner(String)
        var description: String {
            switch self {
            case .path(let path): "not an absolute file path: \(path)"
            case .mode(let mode): "not an octal file mode: \(mode)"
            case .owner(let owner): "not a user or user:group: \(owner)"
            }
        }
    }

    /// Writes `contents` to a new temp file next to `path` and prints the temp file's path.
    /// mktemp creates it 0600, so a key is never readable by others, not even for a moment.
    /// (No shell braces here: `{…}` is placeholder syntax in RemoteCommand templates.)
    static func stage(path: String, contents: Data, mode: String, owner: String?) throws -> RemoteCommand {
        guard path.hasPrefix("/"), !path.hasSuffix("/"), let slash = path.lastIndex(of: "/") else { throw Invalid.path(path) }
        guard (3...4).contains(mode.count), mode.allSatisfy({ ("0"..."7").contains($0) }) else { throw Invalid.mode(mode) }
        if let owner {
            let allowed = owner.allSatisfy { $0.isLetter || $0.isNumber || "._-:".contains($0) }
            guard !owner.isEmpty, allowed, !owner.hasPrefix("-"), owner.filter({ $0 == ":" }).count <= 1 else { throw Invalid.owner(owner) }
        }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        let command = try RemoteCommand(
            template: """
            t=$(mktemp {dir}/.unity-cert.XXXXXX) || exit 71
            if cat > "$t" && chmod {mode} "$t" && (test -z {owner} || chown {owner} "$t"); then printf '%s\\n' "$t"; else rm -f "$t"; exit 72; fi
            """,
            ["dir": directory, "mode": mode, "owner": owner ?? ""], privileged: true)
        return command.withInput(contents)
    }

    /// Renames a staged temp file onto its final path.
    static func commit(temp: String, path: String) -> RemoteCommand {
        RemoteCommand(argv: ["mv", "-f", temp, path], privileged: true)
    }

    static func discard(_ temps: [String]) -> RemoteCommand {
        RemoteCommand(argv: ["rm", "-f"] + temps, privileged: true)
    }
}
