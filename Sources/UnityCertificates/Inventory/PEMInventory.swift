/// One certificate file found on a host.
public struct InventoriedFile: Sendable {
    public var path: String
    /// The certificates in the file, in file order (a fullchain has several).
    public var certificates: [ParsedCertificate]
    /// Set when the file's PEM could not be read; `certificates` then holds none.
    public var error: CertificateError?
}

/// The parsed output of `PEMInventoryScript`.
public struct PEMInventory: Sendable {
    public var files: [InventoriedFile]
    public var missingDirectories: [String]
    /// Files skipped because they exceeded the size bound, with their size in bytes.
    public var oversized: [(path: String, bytes: Int)]
    /// The file-count bound was reached: there may be more files than listed.
    public var reachedFileLimit: Bool
    /// False when the output stopped before `DONE` (script killed, output cut): the list is partial.
    public var complete: Bool

    /// Never throws: a malformed section becomes an `InventoriedFile` with an error, and a cut
    /// stream keeps every finished file and reports `complete == false`.
    public init(output: String, script: PEMInventoryScript) {
        self.init(output: output, marker: script.marker)
    }

    public init(output: String, marker: String) {
        files = []
        missingDirectories = []
        oversized = []
        reachedFileLimit = false
        complete = false
        var openPath: String?
        var body: [Substring] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(marker + " ") else {
                if openPath != nil { body.append(line) }
                continue
            }
            let rest = line.dropFirst(marker.count + 1)
            let (word, argument) = Self.split(rest)
            switch word {
            case "FILE":
                openPath = String(argument)
                body = []
            case "ENDFILE":
                if let path = openPath { files.append(Self.file(path, body.joined(separator: "\n"))) }
                openPath = nil
            case "MISSING":
                missingDirectories.append(String(argument))
            case "TOOBIG":
                let (size, path) = Self.split(argument)
                oversized.append((String(path), Int(size) ?? 0))
            case "LIMIT":
                reachedFileLimit = true
            case "DONE":
                complete = openPath == nil
            default:
                continue
            }
        }
    }

    private static func file(_ path: String, _ text: String) -> InventoriedFile {
        do {
            return InventoriedFile(path: path, certificates: try ParsedCertificate.parseAll(pem: text), error: nil)
        } catch {
            return InventoriedFile(path: path, certificates: [], error: error)
        }
    }

    private static func split(_ text: Substring) -> (Substring, Substring) {
        guard let space = text.firstIndex(of: " ") else { return (text, "") }
        return (text[..<space], text[text.index(after: space)...])
    }
}
