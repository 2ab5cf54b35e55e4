import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The admin's folder of `exec` DNS hooks (`UNITY_DNS_HOOKS_DIR`): the only programs an ACME order
/// can make Unity run. An order names a hook by its plain file name; the path, the interpreter and
/// the environment are never taken from the API. The folder and its hooks must not be writable by
/// group or others, or anyone on the host could replace a hook.
public struct DNSHookDirectory: Sendable, Equatable {
    public let path: String

    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Checks that `path` is an absolute, existing folder writable only by its owner.
    public init(path: String) throws(Refusal) {
        guard path.hasPrefix("/") else { throw Refusal(description: "\(path) is not an absolute path") }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw Refusal(description: "\(path) is not a folder")
        }
        guard info.st_mode & 0o022 == 0 else { throw Refusal(description: "\(path) is writable by group or others") }
        self.path = path
    }

    /// A plain file name: no separators, not hidden (so never `.` or `..`), nothing a shell would expand.
    public static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 128, first != "." && first != "-" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// The executable regular files directly in the folder, by name.
    public func hookNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { Self.isPlainName($0) && (try? program(checking: $0)) != nil }.sorted()
    }

    /// The program for `name`: one of the folder's executable files, not writable by group or others.
    public func program(for name: String) throws(Refusal) -> String {
        guard Self.isPlainName(name) else {
            throw Refusal(description: "must be the plain file name of a hook in the hooks folder (letters, digits, . _ -)")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard names.contains(name) else {
            let known = hookNames()
            throw Refusal(description: "no hook named \(name); " + (known.isEmpty ? "the hooks folder has none" : "one of \(known.joined(separator: ", "))"))
        }
        return try program(checking: name)
    }

    private func program(checking name: String) throws(Refusal) -> String {
        let file = "\(path)/\(name)"
        var info = stat()
        guard stat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(file, X_OK) == 0 else {
            throw Refusal(description: "the hook \(name) is not an executable file")
        }
        guard info.st_mode & 0o022 == 0 else { throw Refusal(description: "the hook \(name) is writable by group or others") }
        return file
    }
}
